// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import io.ledgerscale.admin.support.Html;
import io.ledgerscale.admin.support.Refusal;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.registration.RefuseOidcLoginCommand;
import io.ledgerscale.domain.api.sshcheck.SshCheckIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * What happens when the IdP sends the browser back to {@code /oidc/callback}: an admitted login
 * goes on to the confirmation page; a login the allow-lists refuse is recorded as a refusal and
 * shown; a failed one is shown.
 */
class OidcLoginHandlers implements AuthenticationSuccessHandler, AuthenticationFailureHandler {
  private static final Logger log = LoggerFactory.getLogger(OidcLoginHandlers.class);

  private final OidcProperties properties;
  private final CommandGateway commands;

  OidcLoginHandlers(OidcProperties properties, CommandGateway commands) {
    this.properties = properties;
    this.commands = commands;
  }

  @Override
  public void onAuthenticationSuccess(
      HttpServletRequest request, HttpServletResponse response, Authentication authentication)
      throws IOException {
    // the login only serves this registration; no session stays logged in
    SecurityContextHolder.clearContext();
    String authId = OidcLoginSession.authId(request);
    if (authId == null || !(authentication.getPrincipal() instanceof OidcUser user)) {
      OidcLoginSession.end(request);
      write(
          response,
          Html.message(
              HttpStatus.BAD_REQUEST,
              "No registration",
              "This login did not start from a device's registration link. Open the link tailscale up printed."));
      return;
    }
    OidcIdentity who = OidcIdentity.from(user.getClaims(), properties);
    Optional<String> refusal = OidcAdmission.refusal(who, properties);
    if (refusal.isPresent()) {
      OidcLoginSession.end(request);
      // a refused login leaves an SSH check waiting (its user may still log in); only registrations
      // record it
      String reason =
          SshCheckIds.isSshCheckId(authId)
              ? refusal.get()
              : recordRefusal(authId, who, refusal.get(), request.getRemoteAddr());
      write(
          response,
          Html.page(
              HttpStatus.FORBIDDEN,
              "Login not permitted",
              "<p>"
                  + Html.escape(describe(who))
                  + " may not register devices on this network.</p>"
                  + "<p>Reason: "
                  + Html.escape(reason)
                  + "</p>"
                  + "<p>The attempt was recorded. Ask an administrator if you think this is wrong.</p>"));
      return;
    }
    OidcLoginSession.admit(request, authId, who);
    response.sendRedirect(request.getContextPath() + OidcLoginSession.CONFIRM_PATH);
  }

  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
      throws IOException {
    OidcLoginSession.end(request);
    String detail =
        exception instanceof OAuth2AuthenticationException oauth
            ? oauth.getError().getErrorCode()
                + (oauth.getError().getDescription() == null
                    ? ""
                    : ": " + oauth.getError().getDescription())
            : exception.getMessage();
    log.info("OIDC login failed: {}", detail);
    // only the OAuth error code reaches the page: descriptions can name internal hosts and URLs
    String code =
        exception instanceof OAuth2AuthenticationException oauth
                && oauth.getError().getErrorCode() != null
                && oauth.getError().getErrorCode().matches("[a-z_]{1,64}")
            ? " (" + oauth.getError().getErrorCode() + ")"
            : "";
    write(
        response,
        Html.message(
            HttpStatus.UNAUTHORIZED,
            "Login failed",
            "The identity provider's login could not be completed"
                + code
                + ". Open the registration link again to retry."));
  }

  private String recordRefusal(String authId, OidcIdentity who, String reason, String sourceIp) {
    Actor actor =
        new Actor(
            ActorType.USER,
            who.providerId(),
            who.claimedEmail() == null ? who.name() : who.claimedEmail());
    try {
      commands.sendAndWait(
          new RefuseOidcLoginCommand(authId, who.providerId(), who.claimedEmail(), reason),
          AuditMetadata.of(actor, Origin.OIDC, sourceIp, null));
      log.warn("OIDC refusal of {} was not refused by the domain", who.providerId());
    } catch (RuntimeException e) {
      if (Refusal.in(e).isEmpty()) {
        log.error("could not record the OIDC refusal of {}", who.providerId(), e);
      }
    }
    return reason;
  }

  private static String describe(OidcIdentity who) {
    return who.claimedEmail() != null ? who.claimedEmail() : who.name();
  }

  static void write(HttpServletResponse response, ResponseEntity<String> page) throws IOException {
    response.setStatus(page.getStatusCode().value());
    response.setContentType("text/html;charset=UTF-8");
    page.getHeaders()
        .forEach(
            (name, values) -> {
              if (!"Content-Type".equalsIgnoreCase(name)) {
                values.forEach(v -> response.addHeader(name, v));
              }
            });
    response.getWriter().write(page.getBody());
    response.getWriter().flush();
  }
}
