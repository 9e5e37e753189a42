// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.auth;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.ledgerscale.admin.approval.FourEyesGate;
import io.ledgerscale.admin.node.NodeJson;
import io.ledgerscale.admin.node.NodeJsonFactory;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.domain.api.approval.FourEyesAction;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.registration.ApproveRegistrationCommand;
import io.ledgerscale.domain.api.registration.RejectRegistrationCommand;
import io.ledgerscale.domain.api.sshcheck.ApproveSshCheckCommand;
import io.ledgerscale.domain.api.sshcheck.RejectSshCheckCommand;
import io.ledgerscale.domain.api.sshcheck.SshCheckIds;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Headscale 0.29's auth requests: an admin registers, approves or rejects what a client is waiting
 * for (a registration, or an SSH check by its {@code lskey-sshcheck-} id).
 */
@RestController
@RequestMapping("/api/v1/auth")
public class AuthController {
  private final AdminGateway gateway;
  private final FourEyesGate fourEyes;
  private final NodeJsonFactory nodes;

  public AuthController(AdminGateway gateway, NodeJsonFactory nodes, FourEyesGate fourEyes) {
    this.fourEyes = fourEyes;
    this.gateway = gateway;
    this.nodes = nodes;
  }

  public record AuthRegisterRequest(String user, @JsonAlias("auth_id") String authId) {}

  public record AuthRequest(@JsonAlias("auth_id") String authId, String reason) {}

  public record AuthRegisterResponse(NodeJson node) {}

  @PostMapping("/register")
  public AuthRegisterResponse register(@RequestBody AuthRegisterRequest request) {
    if (request.user() == null || request.user().isBlank()) {
      throw ApiProblem.badRequest("user is required");
    }
    Bounds.check(InputBounds.text("user", request.user(), InputBounds.USER_NAME_MAX));
    fourEyes.check(
        FourEyesAction.REGISTRATION_APPROVALS,
        new ApproveRegistrationCommand(authId(request.authId()), request.user().strip()),
        "register a node for user " + request.user().strip());
    NodeRegistration registered =
        gateway.send(
            new ApproveRegistrationCommand(authId(request.authId()), request.user().strip()));
    return new AuthRegisterResponse(nodes.afterChange(registered.nodeId(), node -> true));
  }

  /**
   * Approves an SSH check (its user is at the keyboard), or a registration that already names its
   * owner (a re-authentication; the domain refuses one that does not).
   */
  @PostMapping("/approve")
  public Map<String, Object> approve(@RequestBody AuthRequest request) {
    String id = authId(request.authId());
    gateway.send(
        SshCheckIds.isSshCheckId(id)
            ? new ApproveSshCheckCommand(id, null)
            : new ApproveRegistrationCommand(id, null));
    return Map.of();
  }

  @PostMapping("/reject")
  public Map<String, Object> reject(@RequestBody AuthRequest request) {
    Bounds.check(InputBounds.reason("reason", request.reason()));
    String id = authId(request.authId());
    gateway.send(
        SshCheckIds.isSshCheckId(id)
            ? new RejectSshCheckCommand(id, request.reason())
            : new RejectRegistrationCommand(id, request.reason()));
    return Map.of();
  }

  private static String authId(String authId) {
    if (authId == null || authId.isBlank()) {
      throw ApiProblem.badRequest("auth_id is required");
    }
    Bounds.check(InputBounds.idText("auth_id", authId.strip()));
    return authId.strip();
  }
}
