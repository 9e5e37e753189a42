// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.Html;
import io.ledgerscale.admin.support.Problems;
import io.ledgerscale.admin.support.Refusal;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.query.FindPendingRegistrationQuery;
import io.ledgerscale.domain.api.query.FindSshCheckQuery;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import io.ledgerscale.domain.api.query.SshCheckView;
import io.ledgerscale.domain.api.registration.ApproveRegistrationCommand;
import io.ledgerscale.domain.api.sshcheck.ApproveSshCheckCommand;
import io.ledgerscale.domain.api.sshcheck.SshCheckIds;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The confirmation step Headscale 0.29 added: after an admitted login the person sees which device
 * they are about to add under which account, and only their explicit confirmation approves the
 * registration, as them. An SSH check's login is confirmed the same way and passes the check, if
 * the person is the check's user.
 */
@Controller
@ConditionalOnProperty(prefix = "ledgerscale.oidc", name = "issuer")
public class OidcConfirmController {
  private static final Logger log = LoggerFactory.getLogger(OidcConfirmController.class);

  private final AdminGateway gateway;
  private final CommandGateway commands;
  private final OidcUsers users;

  public OidcConfirmController(AdminGateway gateway, CommandGateway commands) {
    this.gateway = gateway;
    this.commands = commands;
    this.users = new OidcUsers(gateway, commands);
  }

  @GetMapping(OidcLoginSession.CONFIRM_PATH)
  public ResponseEntity<String> confirmPage(HttpServletRequest request) {
    OidcLoginSession.Pending pending = OidcLoginSession.pending(request);
    if (pending == null) {
      return noLogin();
    }
    if (SshCheckIds.isSshCheckId(pending.authId())) {
      return sshCheckPage(request, pending);
    }
    PendingRegistrationView registration =
        gateway.query(
            new FindPendingRegistrationQuery(pending.authId()), PendingRegistrationView.class);
    String hostname = registration == null ? "(unknown device)" : registration.hostname();
    OidcIdentity who = pending.identity();
    OidcAccount account = users.accountFor(who);
    OidcLoginSession.named(request, pending, account);
    return Html.page(
        HttpStatus.OK,
        "Confirm device registration",
        "<p>Add device <strong>"
            + Html.escape(hostname)
            + "</strong> to this network as "
            + (account.isNew() ? "new " : "")
            + "user <strong>"
            + Html.escape(account.name())
            + "</strong>"
            + (who.email() == null ? "" : " (" + Html.escape(who.email()) + ")")
            + "?</p>"
            + (account.renamedForClash()
                ? "<p>The name <strong>"
                    + Html.escape(account.wanted())
                    + "</strong> belongs to another user of this network, so your account gets"
                    + " the name above. An administrator can rename it.</p>"
                : "")
            + "<form method=\"post\" action=\""
            + Html.escape(request.getContextPath() + OidcLoginSession.CONFIRM_PATH)
            + "\">"
            + "<input type=\"hidden\" name=\"token\" value=\""
            + Html.escape(pending.token())
            + "\">"
            + "<button type=\"submit\">Register device</button></form>"
            + "<p>If you did not just run tailscale up on this device, close this page.</p>");
  }

  @PostMapping(OidcLoginSession.CONFIRM_PATH)
  public ResponseEntity<String> confirm(
      @RequestParam(name = "token", required = false) String token, HttpServletRequest request) {
    OidcLoginSession.Pending pending = OidcLoginSession.pending(request);
    if (pending == null) {
      return noLogin();
    }
    if (!pending.tokenMatches(token)) {
      return Html.message(
          HttpStatus.BAD_REQUEST,
          "Not confirmed",
          "The confirmation did not come from this login's confirmation page.");
    }
    boolean sshCheck = SshCheckIds.isSshCheckId(pending.authId());
    if (!sshCheck && pending.account() == null) {
      return Html.message(
          HttpStatus.BAD_REQUEST,
          "Not confirmed",
          "The confirmation page was not shown for this login. Open it again: "
              + OidcLoginSession.CONFIRM_PATH);
    }
    OidcLoginSession.end(request);
    String sourceIp = request.getRemoteAddr();
    String correlationId = UUID.randomUUID().toString();
    OidcIdentity who = pending.identity();
    if (sshCheck) {
      return passSshCheck(pending.authId(), who, sourceIp, correlationId);
    }
    try {
      Optional<OidcUsers.LoggedIn> named =
          users.provision(who, pending.account(), sourceIp, correlationId);
      if (named.isEmpty()) {
        return Html.message(
            HttpStatus.CONFLICT,
            "Account changed",
            "The account the confirmation page named changed before you confirmed (renamed, deleted"
                + " or its name taken). Nothing was registered. Open the device's registration link"
                + " again to see the account as it is now.");
      }
      OidcUsers.LoggedIn user = named.get();
      NodeRegistration node =
          commands.sendAndWait(
              new ApproveRegistrationCommand(pending.authId(), user.name()),
              AuditMetadata.of(user.actor(), Origin.OIDC, sourceIp, correlationId));
      return Html.page(
          HttpStatus.OK,
          "Device registered",
          "<p>Device <strong>"
              + Html.escape(node.givenName())
              + "</strong> ("
              + Html.escape(node.ipv4())
              + ") now belongs to user <strong>"
              + Html.escape(user.name())
              + "</strong>.</p><p>You can close this window.</p>");
    } catch (RuntimeException e) {
      Optional<Refusal> refusal = Refusal.in(e);
      if (refusal.isPresent()) {
        return Html.message(
            Problems.statusOf(refusal.get().kind()),
            "Registration refused",
            refusal.get().reason());
      }
      log.error("OIDC registration of {} failed", pending.authId(), e);
      return Html.message(
          HttpStatus.INTERNAL_SERVER_ERROR,
          "Registration failed",
          "The registration could not be completed because of an internal error. Try again.");
    }
  }

  private ResponseEntity<String> sshCheckPage(
      HttpServletRequest request, OidcLoginSession.Pending pending) {
    SshCheckView check = gateway.query(new FindSshCheckQuery(pending.authId()), SshCheckView.class);
    OidcIdentity who = pending.identity();
    Optional<OidcUsers.LoggedIn> user = users.existing(who);
    if (user.isEmpty()) {
      return Html.message(
          HttpStatus.FORBIDDEN,
          "SSH check not passed",
          "You are not a user of this network, so you cannot pass this SSH check.");
    }
    return Html.page(
        HttpStatus.OK,
        "Confirm SSH login",
        "<p>Let the waiting SSH connection as <strong>"
            + Html.escape(check == null ? "(unknown)" : check.localUser())
            + "</strong> in, as user <strong>"
            + Html.escape(user.get().name())
            + "</strong>"
            + (who.email() == null ? "" : " (" + Html.escape(who.email()) + ")")
            + "?</p>"
            + "<form method=\"post\" action=\""
            + Html.escape(request.getContextPath() + OidcLoginSession.CONFIRM_PATH)
            + "\">"
            + "<input type=\"hidden\" name=\"token\" value=\""
            + Html.escape(pending.token())
            + "\">"
            + "<button type=\"submit\">Confirm SSH login</button></form>"
            + "<p>If you did not just connect with ssh, close this page.</p>");
  }

  /**
   * An SSH check passes only for the source device's owner, who must already be a user (no user is
   * created here); the domain compares the login with the check's user and records a refusal for
   * anyone else.
   */
  private ResponseEntity<String> passSshCheck(
      String checkId, OidcIdentity who, String sourceIp, String correlationId) {
    Optional<OidcUsers.LoggedIn> user = users.existing(who);
    if (user.isEmpty()) {
      return Html.message(
          HttpStatus.FORBIDDEN,
          "SSH check not passed",
          "You are not a user of this network, so you cannot pass this SSH check.");
    }
    try {
      commands.sendAndWait(
          new ApproveSshCheckCommand(checkId, user.get().userId()),
          AuditMetadata.of(user.get().actor(), Origin.OIDC, sourceIp, correlationId));
      return Html.message(
          HttpStatus.OK,
          "SSH check passed",
          "The SSH connection goes on. You can close this window.");
    } catch (RuntimeException e) {
      Optional<Refusal> refusal = Refusal.in(e);
      if (refusal.isPresent()) {
        return Html.message(
            Problems.statusOf(refusal.get().kind()),
            "SSH check not passed",
            refusal.get().reason());
      }
      log.error("OIDC SSH check {} failed", checkId, e);
      return Html.message(
          HttpStatus.INTERNAL_SERVER_ERROR,
          "SSH check failed",
          "The SSH check could not be completed because of an internal error. Try again.");
    }
  }

  private static ResponseEntity<String> noLogin() {
    return Html.message(
        HttpStatus.BAD_REQUEST,
        "No login to confirm",
        "There is no login waiting for confirmation in this browser. Open the device's registration link again.");
  }
}
