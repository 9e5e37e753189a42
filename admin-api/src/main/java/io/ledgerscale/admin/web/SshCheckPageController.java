// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.web;

import io.ledgerscale.admin.oidc.OidcClientRegistrations;
import io.ledgerscale.admin.oidc.OidcLoginSession;
import io.ledgerscale.admin.oidc.OidcUnavailableException;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.Html;
import io.ledgerscale.domain.api.query.FindSshCheckQuery;
import io.ledgerscale.domain.api.query.SshCheckView;
import io.ledgerscale.domain.api.sshcheck.SshCheckIds;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The page an SSH check sends its user to ({@code <server_url>/auth/<check id>}, Headscale's path).
 * With OIDC the user logs in at the identity provider, and only a login as the source device's
 * owner passes the check; without OIDC the page shows the command an administrator runs to vouch
 * for the user.
 */
@Controller
public class SshCheckPageController {
  private static final Logger log = LoggerFactory.getLogger(SshCheckPageController.class);
  private static final Pattern CHECK_ID =
      Pattern.compile(Pattern.quote(SshCheckIds.PREFIX) + "[A-Za-z0-9_-]{24}");

  private final AdminGateway gateway;
  private final ObjectProvider<OidcClientRegistrations> oidc;

  public SshCheckPageController(
      AdminGateway gateway, ObjectProvider<OidcClientRegistrations> oidc) {
    this.gateway = gateway;
    this.oidc = oidc;
  }

  @GetMapping("/auth/{checkId}")
  public ResponseEntity<String> check(@PathVariable String checkId, HttpServletRequest request) {
    SshCheckView check =
        CHECK_ID.matcher(checkId).matches()
            ? gateway.query(new FindSshCheckQuery(checkId), SshCheckView.class)
            : null;
    if (check == null) {
      return Html.message(
          HttpStatus.NOT_FOUND,
          "Unknown SSH check",
          "This link does not name an SSH check. Connect with ssh again for a new link.");
    }
    if (!"PENDING".equals(check.status()) || !Instant.now().isBefore(check.expiresAt())) {
      String state = "PENDING".equals(check.status()) ? "timed out" : check.status().toLowerCase();
      return Html.message(
          HttpStatus.CONFLICT,
          "SSH check " + state,
          "This SSH check is " + state + ", not waiting any more.");
    }
    OidcClientRegistrations registrations = oidc.getIfAvailable();
    if (registrations == null) {
      String command = "ledgerscale auth approve --auth-id " + check.checkId();
      return Html.page(
          HttpStatus.OK,
          "SSH check",
          "<p>An SSH connection as <strong>"
              + Html.escape(check.localUser())
              + "</strong> waits for its user to"
              + " confirm it. An administrator lets it in by running this command on the Ledgerscale server:</p>"
              + "<pre><code>"
              + Html.escape(command)
              + "</code></pre>"
              + "<p>The check waits until "
              + Html.escape(String.valueOf(check.expiresAt()))
              + ".</p>");
    }
    try {
      registrations.registration();
    } catch (OidcUnavailableException e) {
      // the reason names internal hosts and URLs: it is for the log and the operator, not the page
      log.warn("OIDC login unavailable: {}", e.getMessage());
      return Html.message(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Login unavailable",
          "Login through the identity provider is not available right now."
              + " Try again later, or ask an administrator to approve this SSH check.");
    }
    OidcLoginSession.start(request, check.checkId());
    return ResponseEntity.status(HttpStatus.FOUND)
        .location(URI.create(request.getContextPath() + OidcLoginSession.AUTHORIZATION_PATH))
        .build();
  }
}
