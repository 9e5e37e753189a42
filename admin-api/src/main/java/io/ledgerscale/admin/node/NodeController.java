// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.node;

import io.ledgerscale.admin.approval.FourEyesGate;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.admin.support.UserDirectory;
import io.ledgerscale.domain.api.approval.FourEyesAction;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.node.ApproveNodeRoutesCommand;
import io.ledgerscale.domain.api.node.DeleteNodeCommand;
import io.ledgerscale.domain.api.node.ExpireNodeCommand;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RenameNodeCommand;
import io.ledgerscale.domain.api.node.SetNodeTagsCommand;
import io.ledgerscale.domain.api.node.TransferNodeCommand;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.FetchPendingRegistrationsQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import io.ledgerscale.domain.api.registration.ApproveRegistrationCommand;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Headscale's node endpoints, plus our transfer (Headscale removed its move in 0.28; we keep it,
 * audited).
 */
@RestController
@RequestMapping("/api/v1/node")
public class NodeController {
  private final AdminGateway gateway;
  private final FourEyesGate fourEyes;
  private final UserDirectory users;
  private final NodeJsonFactory json;

  public NodeController(
      AdminGateway gateway, UserDirectory users, NodeJsonFactory json, FourEyesGate fourEyes) {
    this.fourEyes = fourEyes;
    this.gateway = gateway;
    this.users = users;
    this.json = json;
  }

  public record NodeResponse(NodeJson node) {}

  public record NodesResponse(List<NodeJson> nodes) {}

  public record TagsRequest(List<String> tags) {}

  public record RoutesRequest(List<String> routes) {}

  public record TransferRequest(String user, String reason) {}

  @GetMapping
  public NodesResponse list(@RequestParam(required = false) String user) {
    Long userId = user == null || user.isBlank() ? null : users.resolve(user);
    return new NodesResponse(
        json.all(gateway.queryList(new FetchNodesQuery(userId), NodeView.class)));
  }

  @GetMapping("/{nodeId}")
  public NodeResponse get(@PathVariable long nodeId) {
    NodeView node = find(nodeId);
    if (node == null) {
      throw ApiProblem.notFound("no node with id " + nodeId);
    }
    return new NodeResponse(json.one(node));
  }

  @PostMapping("/{nodeId}/tags")
  public NodeResponse setTags(@PathVariable long nodeId, @RequestBody TagsRequest request) {
    List<String> tags = Objects.requireNonNullElse(request.tags(), List.of());
    Bounds.check(InputBounds.tags("tags", tags));
    fourEyes.check(
        FourEyesAction.TAG_CHANGES,
        new SetNodeTagsCommand(nodeId, tags),
        "set the tags of node " + nodeId + " to " + tags);
    gateway.send(new SetNodeTagsCommand(nodeId, tags));
    return after(nodeId, node -> new HashSet<>(node.tags()).equals(new HashSet<>(tags)));
  }

  @PostMapping("/{nodeId}/approve_routes")
  public NodeResponse approveRoutes(@PathVariable long nodeId, @RequestBody RoutesRequest request) {
    List<String> routes =
        Objects.requireNonNullElse(request.routes(), List.<String>of()).stream()
            .filter(route -> route == null || !route.isBlank())
            .toList();
    Bounds.check(routes(routes));
    gateway.send(new ApproveNodeRoutesCommand(nodeId, routes));
    return after(
        nodeId,
        node ->
            routes.isEmpty()
                ? node.approvedRoutes().isEmpty()
                : node.approvedRoutes().containsAll(routes));
  }

  @PostMapping("/{nodeId}/expire")
  public NodeResponse expire(
      @PathVariable long nodeId,
      @RequestParam(required = false) Instant expiry,
      @RequestParam(required = false) Boolean disableExpiry,
      @RequestParam(name = "disable_expiry", required = false) Boolean disableExpirySnake) {
    boolean disable = Boolean.TRUE.equals(disableExpiry) || Boolean.TRUE.equals(disableExpirySnake);
    Bounds.check(InputBounds.instant("expiry", expiry));
    gateway.send(new ExpireNodeCommand(nodeId, disable ? null : expiry, disable));
    Instant asked = expiry;
    return after(
        nodeId,
        node ->
            disable
                ? node.expiry() == null
                : asked != null
                    ? asked.equals(node.expiry())
                    : node.expiry() != null && !node.expiry().isAfter(Instant.now()));
  }

  @PostMapping("/{nodeId}/rename/{newName}")
  public NodeResponse rename(@PathVariable long nodeId, @PathVariable String newName) {
    Bounds.check(InputBounds.nodeName("newName", newName));
    gateway.send(new RenameNodeCommand(nodeId, newName));
    return after(nodeId, node -> newName.equals(node.givenName()));
  }

  @PostMapping("/{nodeId}/transfer")
  public NodeResponse transfer(@PathVariable long nodeId, @RequestBody TransferRequest request) {
    Bounds.check(InputBounds.reason("reason", request.reason()));
    long to = users.resolve(request.user());
    fourEyes.check(
        FourEyesAction.OWNERSHIP_CHANGES,
        new TransferNodeCommand(nodeId, to, request.reason()),
        "move node " + nodeId + " to user " + to);
    gateway.send(new TransferNodeCommand(nodeId, to, request.reason()));
    return after(nodeId, node -> node.userId() == to);
  }

  @DeleteMapping("/{nodeId}")
  public Map<String, Object> delete(@PathVariable long nodeId) {
    gateway.send(new DeleteNodeCommand(nodeId));
    gateway.readAfterWrite(() -> find(nodeId), Objects::isNull);
    return Map.of();
  }

  /**
   * Headscale's pre-0.29 way to finish a web registration; the key is the registration's auth id.
   */
  @PostMapping("/register")
  public NodeResponse register(
      @RequestParam(required = false) String user, @RequestParam(required = false) String key) {
    if (user == null || user.isBlank() || key == null || key.isBlank()) {
      throw ApiProblem.badRequest("user and key are required");
    }
    Bounds.check(
        InputBounds.text("user", user, InputBounds.USER_NAME_MAX),
        InputBounds.keyText("key", key.strip()));
    fourEyes.check(
        FourEyesAction.REGISTRATION_APPROVALS,
        new ApproveRegistrationCommand(authId(key.strip()), user.strip()),
        "register a node for user " + user.strip());
    NodeRegistration registered =
        gateway.send(new ApproveRegistrationCommand(authId(key.strip()), user.strip()));
    return after(registered.nodeId(), node -> true);
  }

  /**
   * Older Headscale showed the machine key ({@code mkey:…}) on the registration page and guides
   * still print {@code --key mkey:…}; such a key names the pending registration of that machine.
   */
  private String authId(String key) {
    if (!key.startsWith("mkey:")) {
      return key;
    }
    return gateway
        .queryList(new FetchPendingRegistrationsQuery(), PendingRegistrationView.class)
        .stream()
        .filter(pending -> "PENDING".equals(pending.status()) && key.equals(pending.machineKey()))
        .map(PendingRegistrationView::authId)
        .findFirst()
        .orElseThrow(() -> ApiProblem.notFound("no pending registration for machine key " + key));
  }

  /** Routes as prefixes: bounded in number, each short and printable (the domain parses them). */
  private static Optional<BoundViolation> routes(List<String> routes) {
    if (routes.size() > InputBounds.ROUTES_MAX) {
      return Optional.of(
          new BoundViolation("routes", "at most " + InputBounds.ROUTES_MAX + " routes"));
    }
    for (String route : routes) {
      Optional<BoundViolation> bad = InputBounds.requiredText("routes[]", route, 64);
      if (bad.isPresent()) {
        return bad;
      }
    }
    return Optional.empty();
  }

  private NodeResponse after(long nodeId, Predicate<NodeView> changed) {
    return new NodeResponse(json.afterChange(nodeId, changed));
  }

  private NodeView find(long nodeId) {
    return json.find(nodeId);
  }
}
