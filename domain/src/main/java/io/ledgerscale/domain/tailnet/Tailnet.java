// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.Excerpts;
import io.ledgerscale.domain.api.node.TaggedDevices;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
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
  private static final RandomGenerator RANDOM = new java.security.SecureRandom();

  @AggregateIdentifier private String id;
  private long lastUserId;
  private long lastNodeId;
  private long lastPreAuthKeyId;
  private long lastApiKeyId;
  private final Map<String, Long> userIdsByName = new HashMap<>();
  private final Map<Long, String> userNamesById = new HashMap<>();
  private final Map<String, Long> nodeIdsByName = new HashMap<>();
  private final Map<Long, String> nodeNamesById = new HashMap<>();
  private final Map<String, Long> nodeIdsByMachineKey = new HashMap<>();

  /** Node id to owning user id; a null value means tagged-devices. */
  private final Map<Long, Long> nodeOwners = new HashMap<>();

  private final Set<Long> heldIpv4 = new HashSet<>();
  private final Set<Long> heldIpv6 = new HashSet<>();
  private long lastIpv4;
  private long lastIpv6;

  /**
   * Where new nodes get addresses (null: Tailscale's whole ranges, as before prefixes were
   * configurable).
   */
  private String ipv4Prefix;

  private String ipv6Prefix;
  private String allocation;
  private final Map<String, Long> preAuthKeyIdsByPrefix = new HashMap<>();
  private final Map<String, Long> apiKeyIdsByPrefix = new HashMap<>();
  private final Map<Long, String> apiKeyPrefixesById = new HashMap<>();

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
    checkUserName(command, null, name);
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
    checkUserName(command, userId, newName);
    apply(new UserNameReassignedEvent(userId, oldName, newName));
    return true;
  }

  public void releaseUser(Object command, long userId) {
    String name = requireUser(command, userId);
    long owned = nodeOwners.values().stream().filter(o -> Objects.equals(o, userId)).count();
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
    String name = userNamesById.get(userId);
    if (name == null) {
      throw refuse(command, "User", userId, RefusalKind.NOT_FOUND, "no user with id " + userId);
    }
    return name;
  }

  /** A user named by name, or else by numeric id (Headscale's CLI accepts both). */
  public long resolveUser(Object command, String nameOrId) {
    if (nameOrId != null) {
      Long byName = userIdsByName.get(nameOrId);
      if (byName != null) {
        return byName;
      }
      try {
        long id = Long.parseLong(nameOrId.trim());
        if (userNamesById.containsKey(id)) {
          return id;
        }
      } catch (NumberFormatException notANumber) {
        // not an id either
      }
    }
    throw refuse(
        command,
        "User",
        nameOrId,
        RefusalKind.NOT_FOUND,
        "no user named or numbered " + Excerpts.of(nameOrId));
  }

  public Optional<String> userName(long userId) {
    return Optional.ofNullable(userNamesById.get(userId));
  }

  /** Every user's id and name, as the policy's user rule needs them (see PolicyUserDirectory). */
  public Map<Long, String> userNames() {
    return Map.copyOf(userNamesById);
  }

  public Optional<Long> userIdByName(String name) {
    return Optional.ofNullable(name == null ? null : userIdsByName.get(name));
  }

  private void checkUserName(Object command, Long userId, String name) {
    if (!Names.isUserName(name)) {
      throw refuse(
          command,
          "User",
          userId == null ? name : userId,
          RefusalKind.INVALID,
          "invalid user name '"
              + Excerpts.of(name)
              + "': letters, digits and . _ @ + - only, starting with a letter or digit");
    }
    if (TaggedDevices.USER_NAME.equals(name)) {
      throw refuse(
          command,
          "User",
          userId == null ? name : userId,
          RefusalKind.CONFLICT,
          "the name " + name + " is reserved for tagged nodes");
    }
    if (userIdsByName.containsKey(name)) {
      throw refuse(
          command,
          "User",
          userId == null ? name : userId,
          RefusalKind.CONFLICT,
          "a user named " + name + " already exists");
    }
  }

  // ---- nodes

  /**
   * Allocates id, unique given name and addresses for a new node of the owner (null:
   * tagged-devices).
   */
  public NodeSlot reserveNode(Object command, String machineKey, String hostname, Long userId) {
    if (nodeIdsByMachineKey.containsKey(machineKey)) {
      throw refuse(
          command,
          "Node",
          nodeIdsByMachineKey.get(machineKey),
          RefusalKind.CONFLICT,
          "this machine is already registered as node " + nodeIdsByMachineKey.get(machineKey));
    }
    AddressPool v4 = AddressPool.ipv4(ipv4Prefix == null ? AddressPool.DEFAULT_IPV4 : ipv4Prefix);
    AddressPool v6 = AddressPool.ipv6(ipv6Prefix == null ? AddressPool.DEFAULT_IPV6 : ipv6Prefix);
    RandomGenerator random = AddressPool.RANDOM.equals(allocation) ? RANDOM : null;
    long ipv4 = v4.next(lastIpv4, heldIpv4, random);
    long ipv6 = v6.next(lastIpv6, heldIpv6, random);
    if (ipv4 < 0 || ipv6 < 0) {
      throw refuse(
          command,
          "Node",
          hostname,
          RefusalKind.CONFLICT,
          "no free address left in " + (ipv4 < 0 ? v4.prefix() : v6.prefix()));
    }
    String givenName = freeName(Names.dnsBase(hostname));
    NodeSlot slot = new NodeSlot(lastNodeId + 1, givenName, v4.format(ipv4), v6.format(ipv6));
    apply(
        new NodeReservedEvent(
            slot.nodeId(), machineKey, givenName, userId, slot.ipv4(), slot.ipv6()));
    return slot;
  }

  /**
   * Sets the prefixes new nodes get addresses from; nodes keep theirs. Refuses (recorded) a prefix
   * outside Tailscale's ranges. False when they are already in force.
   */
  public boolean configureAddresses(Object command, String v4, String v6, String allocationMode) {
    AddressPool pool4;
    AddressPool pool6;
    String mode;
    try {
      pool4 = AddressPool.ipv4(v4);
      pool6 = AddressPool.ipv6(v6);
      mode = AddressPool.allocation(allocationMode);
    } catch (IllegalArgumentException invalid) {
      throw refuse(
          command, "Tailnet", AggregateIds.TAILNET, RefusalKind.INVALID, invalid.getMessage());
    }
    String current4 = ipv4Prefix == null ? AddressPool.DEFAULT_IPV4 : ipv4Prefix;
    String current6 = ipv6Prefix == null ? AddressPool.DEFAULT_IPV6 : ipv6Prefix;
    String currentMode = allocation == null ? AddressPool.SEQUENTIAL : allocation;
    if (pool4.prefix().equals(current4)
        && pool6.prefix().equals(current6)
        && mode.equals(currentMode)) {
      return false;
    }
    apply(new AddressPrefixesConfiguredEvent(pool4.prefix(), pool6.prefix(), mode));
    return true;
  }

  public Optional<Long> nodeByMachineKey(String machineKey) {
    return Optional.ofNullable(nodeIdsByMachineKey.get(machineKey));
  }

  /** Refuses (recorded) when there is no such node. */
  public void requireNode(Object command, long nodeId) {
    if (!nodeNamesById.containsKey(nodeId)) {
      throw refuse(command, "Node", nodeId, RefusalKind.NOT_FOUND, "no node with id " + nodeId);
    }
  }

  public boolean hasNode(long nodeId) {
    return nodeNamesById.containsKey(nodeId);
  }

  /** Every node of the tailnet, by id. */
  public java.util.SortedSet<Long> nodeIds() {
    return new java.util.TreeSet<>(nodeNamesById.keySet());
  }

  /** The node's owner, null for tagged-devices. */
  public Long ownerOf(long nodeId) {
    return nodeOwners.get(nodeId);
  }

  /** False when the node already has that name. */
  public boolean renameNode(Object command, long nodeId, String newName) {
    requireNode(command, nodeId);
    String oldName = nodeNamesById.get(nodeId);
    if (oldName.equals(newName)) {
      return false;
    }
    if (!Names.isDnsLabel(newName)) {
      throw refuse(
          command,
          "Node",
          nodeId,
          RefusalKind.INVALID,
          "invalid node name '"
              + Excerpts.of(newName)
              + "': lower-case letters, digits and inner dashes, at most 63 characters");
    }
    if (nodeIdsByName.containsKey(newName)) {
      throw refuse(
          command,
          "Node",
          nodeId,
          RefusalKind.CONFLICT,
          "the name " + newName + " is taken by node " + nodeIdsByName.get(newName));
    }
    apply(new NodeNameReassignedEvent(nodeId, oldName, newName));
    return true;
  }

  /**
   * The name a node whose name follows its hostname gets for {@code hostname}: the name made from
   * it, or that with "-N" when another node has it; the node's own name when that is already such a
   * name. Reassigns it and answers it; empty when nothing changes.
   */
  public Optional<String> renameAfterHostname(long nodeId, String hostname) {
    String oldName = nodeNamesById.get(nodeId);
    if (oldName == null || Names.madeFrom(oldName, hostname)) {
      return Optional.empty();
    }
    String newName = freeName(Names.dnsBase(hostname));
    apply(new NodeNameReassignedEvent(nodeId, oldName, newName));
    return Optional.of(newName);
  }

  public void reassignOwner(long nodeId, Long newUserId) {
    Long oldUserId = nodeOwners.get(nodeId);
    if (!Objects.equals(oldUserId, newUserId)) {
      apply(new NodeOwnerReassignedEvent(nodeId, oldUserId, newUserId));
    }
  }

  public void releaseNode(long nodeId, String machineKey, String ipv4, String ipv6) {
    apply(new NodeReleasedEvent(nodeId, machineKey, nodeNamesById.get(nodeId), ipv4, ipv6));
  }

  private String freeName(String base) {
    if (!nodeIdsByName.containsKey(base)) {
      return base;
    }
    for (int n = 1; ; n++) {
      String candidate = base + "-" + n;
      if (!nodeIdsByName.containsKey(candidate)) {
        return candidate;
      }
    }
  }

  // ---- keys

  public long reservePreAuthKey(String prefix) {
    long keyId = lastPreAuthKeyId + 1;
    apply(new PreAuthKeyReservedEvent(keyId, prefix));
    return keyId;
  }

  /**
   * A new key whose prefix names no other key (prefixes are random; this guards against the rare
   * repeat).
   */
  public Secrets.NewKey newKey(String kind) {
    Secrets.NewKey key = Secrets.newKey(kind);
    while (preAuthKeyIdsByPrefix.containsKey(key.prefix())
        || apiKeyIdsByPrefix.containsKey(key.prefix())) {
      key = Secrets.newKey(kind);
    }
    return key;
  }

  public Optional<Long> preAuthKeyByPrefix(String prefix) {
    return Optional.ofNullable(prefix == null ? null : preAuthKeyIdsByPrefix.get(prefix));
  }

  public long reserveApiKey(String prefix) {
    long apiKeyId = lastApiKeyId + 1;
    apply(new ApiKeyReservedEvent(apiKeyId, prefix));
    return apiKeyId;
  }

  /**
   * An API key named by id or by prefix (when both are given they must agree); refuses when
   * unknown.
   */
  public long resolveApiKey(Object command, Long apiKeyId, String prefix) {
    if (apiKeyId == null && (prefix == null || prefix.isBlank())) {
      throw refuse(
          command, "ApiKey", null, RefusalKind.INVALID, "name the API key by id or by prefix");
    }
    Long byPrefix = prefix == null || prefix.isBlank() ? apiKeyId : apiKeyIdsByPrefix.get(prefix);
    if (byPrefix == null
        || (apiKeyId != null && !apiKeyId.equals(byPrefix))
        || !apiKeyPrefixesById.containsKey(byPrefix)) {
      throw refuse(
          command,
          "ApiKey",
          apiKeyId != null ? apiKeyId : prefix,
          RefusalKind.NOT_FOUND,
          "no API key "
              + (apiKeyId != null ? "with id " + apiKeyId : "")
              + (prefix != null ? " with prefix " + Excerpts.of(prefix) : ""));
    }
    return byPrefix;
  }

  public void releaseApiKey(long apiKeyId) {
    apply(new ApiKeyReleasedEvent(apiKeyId, apiKeyPrefixesById.get(apiKeyId)));
  }

  // ---- event sourcing

  @EventSourcingHandler
  void on(TailnetStartedEvent event) {
    id = AggregateIds.TAILNET;
  }

  @EventSourcingHandler
  void on(AddressPrefixesConfiguredEvent event) {
    ipv4Prefix = event.ipv4Prefix();
    ipv6Prefix = event.ipv6Prefix();
    allocation = event.allocation();
  }

  @EventSourcingHandler
  void on(UserReservedEvent event) {
    lastUserId = Math.max(lastUserId, event.userId());
    userIdsByName.put(event.name(), event.userId());
    userNamesById.put(event.userId(), event.name());
  }

  @EventSourcingHandler
  void on(UserNameReassignedEvent event) {
    userIdsByName.remove(event.oldName());
    userIdsByName.put(event.newName(), event.userId());
    userNamesById.put(event.userId(), event.newName());
  }

  @EventSourcingHandler
  void on(UserReleasedEvent event) {
    userIdsByName.remove(event.name());
    userNamesById.remove(event.userId());
  }

  @EventSourcingHandler
  void on(NodeReservedEvent event) {
    lastNodeId = Math.max(lastNodeId, event.nodeId());
    nodeIdsByName.put(event.givenName(), event.nodeId());
    nodeNamesById.put(event.nodeId(), event.givenName());
    nodeIdsByMachineKey.put(event.machineKey(), event.nodeId());
    nodeOwners.put(event.nodeId(), event.userId());
    lastIpv4 = AddressRange.IPV4.offsetOf(event.ipv4());
    lastIpv6 = AddressRange.IPV6.offsetOf(event.ipv6());
    heldIpv4.add(lastIpv4);
    heldIpv6.add(lastIpv6);
  }

  @EventSourcingHandler
  void on(NodeNameReassignedEvent event) {
    nodeIdsByName.remove(event.oldName());
    nodeIdsByName.put(event.newName(), event.nodeId());
    nodeNamesById.put(event.nodeId(), event.newName());
  }

  @EventSourcingHandler
  void on(NodeOwnerReassignedEvent event) {
    nodeOwners.put(event.nodeId(), event.newUserId());
  }

  @EventSourcingHandler
  void on(NodeReleasedEvent event) {
    nodeIdsByName.remove(event.givenName());
    nodeNamesById.remove(event.nodeId());
    nodeIdsByMachineKey.remove(event.machineKey());
    nodeOwners.remove(event.nodeId());
    heldIpv4.remove(AddressRange.IPV4.offsetOf(event.ipv4()));
    heldIpv6.remove(AddressRange.IPV6.offsetOf(event.ipv6()));
  }

  @EventSourcingHandler
  void on(PreAuthKeyReservedEvent event) {
    lastPreAuthKeyId = Math.max(lastPreAuthKeyId, event.keyId());
    preAuthKeyIdsByPrefix.put(event.prefix(), event.keyId());
  }

  @EventSourcingHandler
  void on(ApiKeyReservedEvent event) {
    lastApiKeyId = Math.max(lastApiKeyId, event.apiKeyId());
    apiKeyIdsByPrefix.put(event.prefix(), event.apiKeyId());
    apiKeyPrefixesById.put(event.apiKeyId(), event.prefix());
  }

  @EventSourcingHandler
  void on(ApiKeyReleasedEvent event) {
    apiKeyIdsByPrefix.remove(event.prefix());
    apiKeyPrefixesById.remove(event.apiKeyId());
  }
}
