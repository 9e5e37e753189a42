// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.enrollment.ForeignNodeKeyRefusedEvent;
import io.ledgerscale.domain.api.node.AdvertiseNodeRoutesCommand;
import io.ledgerscale.domain.api.node.ApproveNodeRoutesCommand;
import io.ledgerscale.domain.api.node.ClientAuditRecordedEvent;
import io.ledgerscale.domain.api.node.ExpireNodeCommand;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeHostnameChangedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesAdvertisedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.node.RecordClientAuditCommand;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.compile.RouteApproval;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserNaming;
import io.ledgerscale.domain.policydocument.TailnetHistory;
import io.ledgerscale.domain.support.Names;
import io.ledgerscale.domain.support.Refusals;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A machine in the tailnet. A tagged node has no user (userId null): it belongs to tagged-devices.
 */
public class Node {

  @AggregateIdentifier private String id;
  private long nodeId;
  private String machineKey;
  private String nodeKey;
  private String givenName;

  /** The OS hostname the node registered with or last reported; null in older snapshots. */
  private String hostname;

  private Long userId;
  private List<String> tags;
  private String ipv4;
  private String ipv6;
  private Instant expiry;
  private List<String> approvedRoutes;
  private List<String> advertisedRoutes = List.of();
  private boolean deleted;

  /** Deleted rather than expired when it logs out; set once, at registration. */
  private boolean ephemeral;

  /** Required by Axon to rebuild the aggregate from its events. */
  protected Node() {}

  public Node(NodeRegisteredEvent registered) {
    apply(registered);
  }

  @CommandHandler
  public void handle(ExpireNodeCommand command, Clock clock) {
    requireNotDeleted(command);
    if (command.disableExpiry() && command.expiry() != null) {
      throw refuse(command, RefusalKind.INVALID, "give an expiry or disable expiry, not both");
    }
    Optional<BoundViolation> outOfRange = InputBounds.instant("expiry", command.expiry());
    if (outOfRange.isPresent()) {
      throw refuse(command, RefusalKind.INVALID, outOfRange.get().message());
    }
    Instant newExpiry =
        command.disableExpiry()
            ? null
            : command.expiry() != null ? command.expiry() : clock.instant();
    apply(new NodeExpiryChangedEvent(nodeId, expiry, newExpiry));
  }

  @CommandHandler
  public void handle(ApproveNodeRoutesCommand command) {
    requireNotDeleted(command);
    List<String> routes;
    if (command.routes() != null && command.routes().size() > InputBounds.ROUTES_MAX) {
      throw refuse(command, RefusalKind.INVALID, "at most " + InputBounds.ROUTES_MAX + " routes");
    }
    try {
      routes = Routes.normalize(command.routes());
    } catch (Routes.InvalidRoute e) {
      throw refuse(command, RefusalKind.INVALID, e.getMessage());
    }
    apply(new NodeRoutesApprovedEvent(nodeId, approvedRoutes, routes));
  }

  @CommandHandler
  public void handle(AdvertiseNodeRoutesCommand command) {
    requireNotDeleted(command);
    List<String> routes;
    if (command.routes() != null && command.routes().size() > InputBounds.ROUTES_MAX) {
      throw refuse(command, RefusalKind.INVALID, "at most " + InputBounds.ROUTES_MAX + " routes");
    }
    try {
      routes = Routes.canonicalAll(command.routes());
    } catch (Routes.InvalidRoute e) {
      throw refuse(command, RefusalKind.INVALID, e.getMessage());
    }
    if (new HashSet<>(routes).equals(new HashSet<>(advertisedRoutes))) {
      return;
    }
    apply(new NodeRoutesAdvertisedEvent(nodeId, advertisedRoutes, routes));
  }

  /**
   * Only the node's current key may speak for it: a report sent with an older key (or another
   * node's) is refused and recorded.
   */
  @CommandHandler
  public void handle(RecordClientAuditCommand command) {
    requireNotDeleted(command);
    Refusals.requireWithinBounds(
        command,
        "Node",
        nodeId,
        RecordClientAuditCommand.check(command.action(), command.details(), command.clientTime()));
    if (command.nodeKey() == null || !command.nodeKey().equalsIgnoreCase(nodeKey)) {
      throw refuse(command, RefusalKind.CREDENTIAL_REJECTED, "not the node's current node key");
    }
    apply(
        new ClientAuditRecordedEvent(
            nodeId, nodeKey, command.action(), command.details(), command.clientTime()));
  }

  /**
   * Approves the advertised routes the policy's autoApprovers allow that are not approved yet;
   * false when there is none. {@code owner} is the owning user (null for a tagged node).
   */
  boolean autoApprove(Policy policy, TailnetUser owner, UserNaming naming) {
    if (deleted) {
      return false;
    }
    TailnetNode node =
        new TailnetNode(
            nodeId,
            givenName,
            address(ipv4),
            address(ipv6),
            userId,
            Set.copyOf(tags),
            TailnetHistory.prefixesOf(advertisedRoutes),
            TailnetHistory.prefixesOf(approvedRoutes));
    List<IpPrefix> pending = RouteApproval.pendingAutoApprovals(policy, node, owner, naming);
    if (pending.isEmpty()) {
      return false;
    }
    List<String> approved = new ArrayList<>(approvedRoutes);
    pending.forEach(p -> approved.add(p.toString()));
    apply(
        new NodeRoutesApprovedEvent(
            nodeId, approvedRoutes, approved, NodeRoutesApprovedEvent.AUTO_APPROVERS));
    return true;
  }

  private static IpAddress address(String text) {
    return text == null || text.isBlank() ? null : IpAddress.parse(text);
  }

  /** The same machine logged in again for the same owner: new node key, no new node. */
  public void reauthenticate(
      String newNodeKey, RegisterMethod method, Long preAuthKeyId, Instant newExpiry) {
    apply(
        new NodeReauthenticatedEvent(
            nodeId, machineKey, nodeKey, newNodeKey, method, preAuthKeyId, newExpiry));
  }

  /**
   * The node's own key rotation (see RotateNodeKeyCommand): only the node key and its expiry
   * change.
   */
  public void rotateKey(String newNodeKey, long preAuthKeyId, Instant newExpiry) {
    apply(
        new NodeKeyRotatedEvent(nodeId, machineKey, nodeKey, newNodeKey, preAuthKeyId, newExpiry));
  }

  /** False when the node already has that hostname. */
  boolean changeHostname(String newHostname) {
    if (newHostname.equals(hostname)) {
      return false;
    }
    apply(new NodeHostnameChangedEvent(nodeId, hostname, newHostname));
    return true;
  }

  /**
   * Whether the node's given name is still the one made from {@code oldHostname} (that name, or it
   * with the "-N" a taken name gets): an admin who renamed the node chose its name, which then
   * stays when the client's hostname changes, as in Headscale.
   */
  boolean nameMadeFrom(String oldHostname) {
    return oldHostname != null && Names.madeFrom(givenName, oldHostname);
  }

  String hostname() {
    return hostname;
  }

  void requireExisting(Object command) {
    requireNotDeleted(command);
  }

  void rename(String newName) {
    apply(new NodeRenamedEvent(nodeId, givenName, newName));
  }

  /** False when the node already is tagged with exactly these tags. */
  boolean setTags(List<String> newTags) {
    if (userId == null && tags.equals(newTags)) {
      return false;
    }
    apply(new NodeTagsChangedEvent(nodeId, tags, newTags, userId));
    return true;
  }

  /** False when the node already belongs to that user untagged. */
  boolean transfer(long toUserId, String reason) {
    if (Objects.equals(userId, toUserId) && tags.isEmpty()) {
      return false;
    }
    apply(
        new NodeOwnershipTransferredEvent(
            nodeId, userId, toUserId, tags, reason == null ? "" : reason));
    return true;
  }

  void delete() {
    apply(new NodeDeletedEvent(nodeId, givenName, List.of(ipv4, ipv6)));
  }

  /** Records a refusal on this node's stream. */
  public RuntimeException refuse(Object command, RefusalKind kind, String reason) {
    return Refusals.refuse(command, "Node", nodeId, kind, reason);
  }

  public long nodeId() {
    return nodeId;
  }

  public String machineKey() {
    return machineKey;
  }

  public String nodeKey() {
    return nodeKey;
  }

  public Long userId() {
    return userId;
  }

  public List<String> tags() {
    return tags;
  }

  public String givenName() {
    return givenName;
  }

  public String ipv4() {
    return ipv4;
  }

  public String ipv6() {
    return ipv6;
  }

  /** When the node key expires; null for never. */
  public Instant expiry() {
    return expiry;
  }

  public boolean deleted() {
    return deleted;
  }

  public boolean ephemeral() {
    return ephemeral;
  }

  /**
   * Records that another machine presented this node's key (with {@code command}) and hands back
   * the refusal to throw. Like every refusal, only before anything else was applied.
   */
  public CommandRefusedException refuseForeignNodeKey(Object command, String reason) {
    apply(new ForeignNodeKeyRefusedEvent(nodeId, command.getClass().getSimpleName(), reason));
    return new CommandRefusedException(RefusalKind.CREDENTIAL_REJECTED, reason);
  }

  /** What its registration answered, as it is now. */
  public NodeRegistration registration() {
    return new NodeRegistration(nodeId, userId, tags, ipv4, ipv6, givenName);
  }

  private void requireNotDeleted(Object command) {
    if (deleted) {
      throw refuse(command, RefusalKind.NOT_FOUND, "node " + nodeId + " was deleted");
    }
  }

  @EventSourcingHandler
  void on(NodeRegisteredEvent event) {
    id = AggregateIds.node(event.nodeId());
    nodeId = event.nodeId();
    machineKey = event.machineKey();
    nodeKey = event.nodeKey();
    givenName = event.givenName();
    hostname = event.hostname();
    userId = event.userId();
    tags = event.tags() == null ? List.of() : List.copyOf(event.tags());
    ipv4 = event.ipv4();
    ipv6 = event.ipv6();
    expiry = event.expiry();
    approvedRoutes = List.of();
    advertisedRoutes = List.of();
    ephemeral = event.ephemeral();
  }

  @EventSourcingHandler
  void on(NodeRoutesAdvertisedEvent event) {
    advertisedRoutes = List.copyOf(event.newRoutes());
  }

  @EventSourcingHandler
  void on(NodeReauthenticatedEvent event) {
    nodeKey = event.newNodeKey();
    expiry = event.expiry();
  }

  @EventSourcingHandler
  void on(NodeKeyRotatedEvent event) {
    nodeKey = event.newNodeKey();
    expiry = event.expiry();
  }

  @EventSourcingHandler
  void on(NodeHostnameChangedEvent event) {
    hostname = event.newHostname();
  }

  @EventSourcingHandler
  void on(NodeRenamedEvent event) {
    givenName = event.newName();
  }

  @EventSourcingHandler
  void on(NodeTagsChangedEvent event) {
    tags = List.copyOf(event.newTags());
    userId = null;
  }

  @EventSourcingHandler
  void on(NodeOwnershipTransferredEvent event) {
    userId = event.toUserId();
    tags = List.of();
  }

  @EventSourcingHandler
  void on(NodeExpiryChangedEvent event) {
    expiry = event.newExpiry();
  }

  @EventSourcingHandler
  void on(NodeRoutesApprovedEvent event) {
    approvedRoutes = new ArrayList<>(event.newRoutes());
  }

  @EventSourcingHandler
  void on(NodeDeletedEvent event) {
    deleted = true;
  }
}
