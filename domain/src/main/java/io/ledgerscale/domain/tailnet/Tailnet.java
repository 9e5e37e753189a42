// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.tailnet.AddressPrefixesConfiguredEvent;
import io.ledgerscale.domain.api.tailnet.ApiKeyReleasedEvent;
import io.ledgerscale.domain.api.tailnet.ApiKeyReservedEvent;
import io.ledgerscale.domain.api.tailnet.NodeNameReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeOwnerReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReleasedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReservedEvent;
import io.ledgerscale.domain.api.tailnet.PreAuthKeyReservedEvent;
import io.ledgerscale.domain.api.tailnet.TailnetStartedEvent;
import io.ledgerscale.domain.api.tailnet.UserNameReassignedEvent;
import io.ledgerscale.domain.api.tailnet.UserReleasedEvent;
import io.ledgerscale.domain.api.tailnet.UserReservedEvent;
import io.ledgerscale.domain.support.Names;
import io.ledgerscale.domain.support.Refusals;
import io.ledgerscale.domain.support.Secrets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.Repository;

/**
 * The one place where uniqueness and allocation are decided: numeric ids, user names, node given
 * names, machine keys, addresses and key prefixes. Every command that needs one of these loads this
 * aggregate first (always first, so units of work never wait for each other's locks in opposite
 * orders), and a concurrent change to it fails on the event stream's sequence number and is
 * retried.
 *
 * <p>Its stream grows with every user, node and key, so the server should snapshot it; its fields
 * are visible to Jackson for that (and only its fields: the query methods are not state).
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
public class Tailnet {
  @AggregateIdentifier private String id;
  private long lastUserId;
  private long lastNodeId;

  // The parts below are written into the snapshot unwrapped, field by field under the names they
  // had
  // as this class's own fields, so snapshots taken before they were split out still load.
  @JsonUnwrapped private UserIndex users = new UserIndex();
  @JsonUnwrapped private NodeIndex nodes = new NodeIndex();
  @JsonUnwrapped private AddressAllocator addresses = new AddressAllocator();
  @JsonUnwrapped private KeyPrefixes keys = new KeyPrefixes();

  /** Required by Axon to rebuild the aggregate from its events. */
  protected Tailnet() {}

  private Tailnet(boolean start) {
    apply(new TailnetStartedEvent(AddressPool.DEFAULT_IPV4, AddressPool.DEFAULT_IPV6));
  }

  /** The tailnet, started on first use. */
  public static Aggregate<Tailnet> open(Repository<Tailnet> repository) {
    try {
      return repository.loadOrCreate(AggregateIds.TAILNET, () -> new Tailnet(true));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot load the tailnet", e);
    }
  }

  /** What a new node gets. */
  public record NodeSlot(long nodeId, String givenName, String ipv4, String ipv6) {}

  /**
   * Records a refusal on the tailnet's own stream (used when the command names nothing that
   * exists).
   */
  public CommandRefusedException refuse(
      Object command, String targetType, Object targetId, RefusalKind kind, String reason) {
    return Refusals.refuse(command, targetType, targetId, kind, reason);
  }

  /**
   * Refuses (recorded on the tailnet's stream, as INVALID) a command carrying a value outside its
   * bound; the edges check first, so this catches commands sent by another path.
   */
  public void requireWithinBounds(
      Object command, String targetType, Object targetId, Optional<BoundViolation> violation) {
    Refusals.requireWithinBounds(command, targetType, targetId, violation);
  }

  // ---- users

  public long reserveUser(Object command, String name) {
    users.checkName(command, null, name);
    long userId = lastUserId + 1;
    apply(new UserReservedEvent(userId, name));
    return userId;
  }

  /** False when the user already has that name (nothing to do). */
  public boolean renameUser(Object command, long userId, String newName) {
    String oldName = requireUser(command, userId);
    if (oldName.equals(newName)) {
      return false;
    }
    users.checkName(command, userId, newName);
    apply(new UserNameReassignedEvent(userId, oldName, newName));
    return true;
  }

  public void releaseUser(Object command, long userId) {
    String name = requireUser(command, userId);
    long owned = nodes.ownedBy(userId);
    if (owned > 0) {
      throw refuse(
          command,
          "User",
          userId,
          RefusalKind.CONFLICT,
          "user " + name + " still owns " + owned + " node(s); delete or transfer them first");
    }
    apply(new UserReleasedEvent(userId, name));
  }

  /** The user's name; refuses (recorded) when there is no such user. */
  public String requireUser(Object command, long userId) {
    String name = users.name(userId);
    if (name == null) {
      throw refuse(command, "User", userId, RefusalKind.NOT_FOUND, "no user with id " + userId);
    }
    return name;
  }

  /** A user named by name, or else by numeric id (Headscale's CLI accepts both). */
  public long resolveUser(Object command, String nameOrId) {
    return users.resolve(command, nameOrId);
  }

  public Optional<String> userName(long userId) {
    return Optional.ofNullable(users.name(userId));
  }

  /** Every user's id and name, as the policy's user rule needs them (see PolicyUserDirectory). */
  public Map<Long, String> userNames() {
    return users.names();
  }

  public Optional<Long> userIdByName(String name) {
    return Optional.ofNullable(users.byName(name));
  }

  // ---- nodes

  /**
   * Allocates id, unique given name and addresses for a new node of the owner (null:
   * tagged-devices).
   */
  public NodeSlot reserveNode(Object command, String machineKey, String hostname, Long userId) {
    return reserveNode(command, machineKey, hostname, userId, PolicyPools.NONE);
  }

  /**
   * As {@link #reserveNode(Object, String, String, Long)}, the IPv4 address from the policy's
   * address pools: the first of {@code pools.applying()} with a free address, else (none applies)
   * the tailnet's prefix outside {@code pools.all()}. Refuses (recorded) when the pools that apply
   * are full.
   */
  public NodeSlot reserveNode(
      Object command, String machineKey, String hostname, Long userId, PolicyPools pools) {
    Optional<Long> known = nodes.byMachineKey(machineKey);
    if (known.isPresent()) {
      throw refuse(
          command,
          "Node",
          known.get(),
          RefusalKind.CONFLICT,
          "this machine is already registered as node " + known.get());
    }
    AddressAllocator.Allocation free = addresses.next(pools);
    if (free.refusal() != null) {
      throw refuse(command, "Node", hostname, RefusalKind.CONFLICT, free.refusal());
    }
    String givenName = nodes.freeName(Names.dnsBase(hostname));
    NodeSlot slot = new NodeSlot(lastNodeId + 1, givenName, free.ipv4(), free.ipv6());
    apply(
        new NodeReservedEvent(
            slot.nodeId(),
            machineKey,
            givenName,
            userId,
            slot.ipv4(),
            slot.ipv6(),
            free.ipv4Pool()));
    return slot;
  }

  /**
   * Sets the prefixes new nodes get addresses from; nodes keep theirs. Refuses (recorded) a prefix
   * outside Tailscale's ranges. False when they are already in force.
   */
  public boolean configureAddresses(Object command, String v4, String v6, String allocationMode) {
    AddressPrefixesConfiguredEvent change;
    try {
      change = addresses.change(v4, v6, allocationMode);
    } catch (IllegalArgumentException invalid) {
      throw refuse(
          command, "Tailnet", AggregateIds.TAILNET, RefusalKind.INVALID, invalid.getMessage());
    }
    if (change == null) {
      return false;
    }
    apply(change);
    return true;
  }

  public Optional<Long> nodeByMachineKey(String machineKey) {
    return nodes.byMachineKey(machineKey);
  }

  /** Refuses (recorded) when there is no such node. */
  public void requireNode(Object command, long nodeId) {
    if (!nodes.has(nodeId)) {
      throw refuse(command, "Node", nodeId, RefusalKind.NOT_FOUND, "no node with id " + nodeId);
    }
  }

  public boolean hasNode(long nodeId) {
    return nodes.has(nodeId);
  }

  /** Every node of the tailnet, by id. */
  public SortedSet<Long> nodeIds() {
    return nodes.ids();
  }

  /** The node's owner, null for tagged-devices. */
  public Long ownerOf(long nodeId) {
    return nodes.ownerOf(nodeId);
  }

  /** False when the node already has that name. */
  public boolean renameNode(Object command, long nodeId, String newName) {
    requireNode(command, nodeId);
    String oldName = nodes.name(nodeId);
    if (oldName.equals(newName)) {
      return false;
    }
    nodes.checkNewName(command, nodeId, newName);
    apply(new NodeNameReassignedEvent(nodeId, oldName, newName));
    return true;
  }

  /**
   * The name a node whose name follows its hostname gets for {@code hostname}: the name made from
   * it, or that with "-N" when another node has it; the node's own name when that is already such a
   * name. Reassigns it and answers it; empty when nothing changes.
   */
  public Optional<String> renameAfterHostname(long nodeId, String hostname) {
    String oldName = nodes.name(nodeId);
    if (oldName == null || Names.madeFrom(oldName, hostname)) {
      return Optional.empty();
    }
    String newName = nodes.freeName(Names.dnsBase(hostname));
    apply(new NodeNameReassignedEvent(nodeId, oldName, newName));
    return Optional.of(newName);
  }

  public void reassignOwner(long nodeId, Long newUserId) {
    Long oldUserId = nodes.ownerOf(nodeId);
    if (!Objects.equals(oldUserId, newUserId)) {
      apply(new NodeOwnerReassignedEvent(nodeId, oldUserId, newUserId));
    }
  }

  public void releaseNode(long nodeId, String machineKey, String ipv4, String ipv6) {
    apply(new NodeReleasedEvent(nodeId, machineKey, nodes.name(nodeId), ipv4, ipv6));
  }

  // ---- keys

  public long reservePreAuthKey(String prefix) {
    long keyId = keys.nextPreAuthKeyId();
    apply(new PreAuthKeyReservedEvent(keyId, prefix));
    return keyId;
  }

  /**
   * A new key whose prefix names no other key (prefixes are random; this guards against the rare
   * repeat).
   */
  public Secrets.NewKey newKey(String kind) {
    Secrets.NewKey key = Secrets.newKey(kind);
    while (keys.taken(key.prefix())) {
      key = Secrets.newKey(kind);
    }
    return key;
  }

  public Optional<Long> preAuthKeyByPrefix(String prefix) {
    return Optional.ofNullable(keys.preAuthKey(prefix));
  }

  public long reserveApiKey(String prefix) {
    long apiKeyId = keys.nextApiKeyId();
    apply(new ApiKeyReservedEvent(apiKeyId, prefix));
    return apiKeyId;
  }

  /**
   * An API key named by id or by prefix (when both are given they must agree); refuses when
   * unknown.
   */
  public long resolveApiKey(Object command, Long apiKeyId, String prefix) {
    return keys.resolveApiKey(command, apiKeyId, prefix);
  }

  public void releaseApiKey(long apiKeyId) {
    apply(new ApiKeyReleasedEvent(apiKeyId, keys.apiKeyPrefix(apiKeyId)));
  }

  // ---- event sourcing

  @EventSourcingHandler
  void on(TailnetStartedEvent event) {
    id = AggregateIds.TAILNET;
  }

  @EventSourcingHandler
  void on(AddressPrefixesConfiguredEvent event) {
    addresses.configured(event);
  }

  @EventSourcingHandler
  void on(UserReservedEvent event) {
    lastUserId = Math.max(lastUserId, event.userId());
    users.reserved(event.userId(), event.name());
  }

  @EventSourcingHandler
  void on(UserNameReassignedEvent event) {
    users.renamed(event.userId(), event.oldName(), event.newName());
  }

  @EventSourcingHandler
  void on(UserReleasedEvent event) {
    users.released(event.userId(), event.name());
  }

  @EventSourcingHandler
  void on(NodeReservedEvent event) {
    lastNodeId = Math.max(lastNodeId, event.nodeId());
    nodes.reserved(event.nodeId(), event.machineKey(), event.givenName(), event.userId());
    addresses.held(event.ipv4(), event.ipv6(), event.ipv4Pool());
  }

  @EventSourcingHandler
  void on(NodeNameReassignedEvent event) {
    nodes.renamed(event.nodeId(), event.oldName(), event.newName());
  }

  @EventSourcingHandler
  void on(NodeOwnerReassignedEvent event) {
    nodes.ownerChanged(event.nodeId(), event.newUserId());
  }

  @EventSourcingHandler
  void on(NodeReleasedEvent event) {
    nodes.released(event.nodeId(), event.machineKey(), event.givenName());
    addresses.released(event.ipv4(), event.ipv6());
  }

  @EventSourcingHandler
  void on(PreAuthKeyReservedEvent event) {
    keys.preAuthKeyReserved(event.keyId(), event.prefix());
  }

  @EventSourcingHandler
  void on(ApiKeyReservedEvent event) {
    keys.apiKeyReserved(event.apiKeyId(), event.prefix());
  }

  @EventSourcingHandler
  void on(ApiKeyReleasedEvent event) {
    keys.apiKeyReleased(event.apiKeyId(), event.prefix());
  }
}
