// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.debug;

import io.ledgerscale.admin.node.NodeJson;
import io.ledgerscale.admin.node.NodeJsonFactory;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.registration.ApproveRegistrationCommand;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Headscale's {@code POST /api/v1/debug/node}, for testing: a node with made-up keys, owned by a
 * user, without a client behind it. Headscale leaves it waiting for {@code nodes register} under a
 * registration id the caller picks; here registration ids are the server's own, so the same two
 * commands a real interactive login goes through (request, then approval for the user) are sent at
 * once, each audited as the caller's. The node never connects, so it stays offline.
 */
@RestController
public class DebugController {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AdminGateway gateway;
  private final NodeJsonFactory nodes;

  public DebugController(AdminGateway gateway, NodeJsonFactory nodes) {
    this.gateway = gateway;
    this.nodes = nodes;
  }

  public record DebugCreateNodeRequest(String user, String key, String name, List<String> routes) {}

  public record DebugCreateNodeResponse(NodeJson node) {}

  @PostMapping("/api/v1/debug/node")
  public DebugCreateNodeResponse createNode(@RequestBody DebugCreateNodeRequest request) {
    if (request.user() == null || request.user().isBlank()) {
      throw ApiProblem.badRequest("user is required");
    }
    if (request.name() == null || request.name().isBlank()) {
      throw ApiProblem.badRequest("name is required");
    }
    Bounds.check(InputBounds.text("user", request.user(), InputBounds.USER_NAME_MAX));
    Bounds.check(InputBounds.text("name", request.name(), InputBounds.HOSTNAME_MAX));
    if (request.routes() != null && !request.routes().isEmpty()) {
      // a node's routes are what its client advertises; there is no client here to do so
      throw ApiProblem.badRequest(
          "routes: a node advertises its own routes; a debug node has no client to do so");
    }
    String authId =
        gateway.send(
            new RequestRegistrationCommand(
                "mkey:" + randomHex(),
                "nodekey:" + randomHex(),
                request.name().trim(),
                List.of(),
                null));
    NodeRegistration registered =
        gateway.send(new ApproveRegistrationCommand(authId, request.user().trim()));
    return new DebugCreateNodeResponse(nodes.afterChange(registered.nodeId(), node -> true));
  }

  private static String randomHex() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return HexFormat.of().formatHex(key);
  }
}
