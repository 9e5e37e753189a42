// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.web;

import io.ledgerscale.admin.oidc.OidcClientRegistrations;
import io.ledgerscale.admin.oidc.OidcLoginSession;
import io.ledgerscale.admin.oidc.OidcUnavailableException;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.Html;
import io.ledgerscale.domain.api.query.FindPendingRegistrationQuery;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
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
 * The page an interactive client's AuthURL ({@code <server_url>/register/<auth_id>}) opens. Without
 * OIDC it shows the admin the command that approves the request; with OIDC it sends the browser
 * through the identity provider, and the login approves the request for the person who logged in.
 */
@Controller
public class RegistrationPageController {
  private static final Logger log = LoggerFactory.getLogger(RegistrationPageController.class);
  private static final Pattern AUTH_ID = Pattern.compile("lskey-authreq-[A-Za-z0-9_-]{24}");

  private final AdminGateway gateway;
  private final ObjectProvider<OidcClientRegistrations> oidc;

  public RegistrationPageController(
      AdminGateway gateway, ObjectProvider<OidcClientRegistrations> oidc) {
    this.gateway = gateway;
    this.oidc = oidc;
  }

  @GetMapping("/register/{authId}")
  public ResponseEntity<String> register(@PathVariable String authId, HttpServletRequest request) {
    if (!AUTH_ID.matcher(authId).matches()) {
      return Html.message(
          HttpStatus.NOT_FOUND,
          "Unknown registration",
          "This link does not name a registration request. Run tailscale up again for a new link.");
    }
    PendingRegistrationView pending =
        gateway.query(new FindPendingRegistrationQuery(authId), PendingRegistrationView.class);
    if (pending == null) {
      return Html.message(
          HttpStatus.NOT_FOUND,
          "Unknown registration",
          "There is no registration request "
              + authId
              + ". Run tailscale up again for a new link.");
    }
    if (!"PENDING".equals(pending.status())) {
      return Html.message(
          HttpStatus.CONFLICT,
          "Registration " + pending.status().toLowerCase(),
          "The registration request for "
              + pending.hostname()
              + " is "
              + pending.status().toLowerCase()
              + ", not waiting any more."
              + ("EXPIRED".equals(pending.status())
                  ? " Run tailscale up again for a new link."
                  : ""));
    }
    OidcClientRegistrations registrations = oidc.getIfAvailable();
    if (registrations == null) {
      return commandPage(pending);
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
              + " Try again later, or ask an administrator to approve this device.");
    }
    OidcLoginSession.start(request, authId);
    return ResponseEntity.status(HttpStatus.FOUND)
        .location(URI.create(request.getContextPath() + OidcLoginSession.AUTHORIZATION_PATH))
        .build();
  }

  private static ResponseEntity<String> commandPage(PendingRegistrationView pending) {
    String command = "ledgerscale auth register --user USER --auth-id " + pending.authId();
    return Html.page(
        HttpStatus.OK,
        "Machine registration",
        "<p>Device <strong>"
            + Html.escape(pending.hostname())
            + "</strong> asks to join this network.</p>"
            + "<p>An administrator approves it by running this command on the Ledgerscale server, with USER replaced"
            + " by the name of the user the device shall belong to:</p>"
            + "<pre><code>"
            + Html.escape(command)
            + "</code></pre>"
            + (pending.requestedTags() == null || pending.requestedTags().isEmpty()
                ? ""
                : "<p>Requested tags: "
                    + Html.escape(String.join(", ", pending.requestedTags()))
                    + "</p>")
            + "<p>The request waits until "
            + Html.escape(String.valueOf(pending.expiresAt()))
            + ".</p>");
  }
}
