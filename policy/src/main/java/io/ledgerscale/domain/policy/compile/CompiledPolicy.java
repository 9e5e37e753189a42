// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.AccessRule;
import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.Destination;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.PortRange;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserTokens;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A policy compiled against a tailnet snapshot. Rules are resolved once; each node's packet filter
 * is assembled on demand from the rules that index that node, and memoized. {@link
 * #withNode(TailnetNode)} re-resolves only the rules the changed node takes part in and says which
 * nodes' filters may have changed.
 */
public final class CompiledPolicy {
  /**
   * What a policy with neither {@code acls} nor {@code grants} means: everyone reaches everything,
   * compiled like any rule, so sources are the tailnet's ranges and approved routes as Tailscale
   * sends them rather than a bare {@code *}.
   */
  private static final List<AccessRule> DEFAULT_RULES =
      List.of(
          new AccessRule(
              List.of(new Alias.Wildcard()),
              List.of(new Destination(new Alias.Wildcard(), List.of(PortRange.ANY), "*:*")),
              List.of(),
              "default"));

  // package-private for Recompilation, which derives the next compiled policy from these
  final Policy policy;
  final TailnetIndex index;
  final List<CompiledRule> rules;
  final BitSet everyNodeRules;
  final Map<Long, BitSet> rulesByNode;
  final Map<Long, List<FilterRule>> filters;

  private final FilterAssembly assembly;
  private final PeerSets peers;

  /** The policy's strings, for {@link #withUsers}; filled on first use. */
  private Set<String> tokens;

  CompiledPolicy(
      Policy policy,
      TailnetIndex index,
      List<CompiledRule> rules,
      BitSet everyNodeRules,
      Map<Long, BitSet> rulesByNode,
      Map<Long, List<FilterRule>> filters) {
    this.policy = policy;
    this.index = index;
    this.rules = rules;
    this.everyNodeRules = everyNodeRules;
    this.rulesByNode = rulesByNode;
    this.filters = filters;
    this.assembly = new FilterAssembly(index, rules, everyNodeRules, rulesByNode);
    this.peers = new PeerSets(index, rules);
  }

  /** Resolves every rule of the policy against the snapshot. */
  public static CompiledPolicy compile(Policy policy, TailnetSnapshot snapshot) {
    Objects.requireNonNull(policy, "policy");
    TailnetIndex idx = TailnetIndex.build(policy, snapshot);
    List<CompiledRule> rules = new ArrayList<>();
    List<AccessRule> access = policy.hasAccessRules() ? policy.rules() : DEFAULT_RULES;
    Map<List<Alias>, RuleResolver.Sources> sourceCache = new HashMap<>();
    for (int i = 0; i < access.size(); i++) {
      rules.add(RuleResolver.build(i, access.get(i), idx, sourceCache));
    }
    BitSet every = new BitSet();
    Map<Long, BitSet> byNode = new HashMap<>();
    for (CompiledRule r : rules) {
      indexRule(r, every, byNode);
    }
    return new CompiledPolicy(
        policy, idx, List.copyOf(rules), every, byNode, new ConcurrentHashMap<>());
  }

  static void indexRule(CompiledRule r, BitSet every, Map<Long, BitSet> byNode) {
    if (!r.wildcardDsts.isEmpty() || r.hasSelfDestination()) {
      every.set(r.index);
    }
    for (Long id : r.dstByNode.keySet()) {
      byNode.computeIfAbsent(id, k -> new BitSet()).set(r.index);
    }
  }

  public Policy policy() {
    return policy;
  }

  public TailnetSnapshot snapshot() {
    return index.snapshot;
  }

  /** The packet filter for one node, in the order Tailscale sends it; empty for an unknown node. */
  public List<FilterRule> filterFor(long nodeId) {
    List<FilterRule> cached = filters.get(nodeId);
    if (cached != null) {
      return cached;
    }
    List<FilterRule> computed = assembly.filterOf(nodeId);
    filters.put(nodeId, computed);
    return computed;
  }

  /**
   * Nodes this node may see in its netmap: those that can reach it and those it can reach, under
   * any rule (before ports are considered). With no access rules every node sees every other.
   */
  public Set<Long> peersOf(long nodeId) {
    return peers.peersOf(nodeId);
  }

  /** Routes the node serves: advertised and approved (explicitly or by autoApprovers). */
  public List<IpPrefix> servedRoutes(long nodeId) {
    return index.served(nodeId);
  }

  /** The node attribute that takes a node's IPv4 address out of the tailnet. */
  public static final String DISABLE_IPV4 = "disable-ipv4";

  /**
   * Whether the viewer is shown the peer's IPv4 address (its own, as its self node, when both are
   * one): not when either has {@value #DISABLE_IPV4} from {@code nodeAttrs}; Tailscale then shows
   * the node to everyone, and everyone to the node, by IPv6 alone.
   */
  public boolean showsIpv4(long viewerId, long peerId) {
    if (policy.nodeAttrs().isEmpty()) {
      return true;
    }
    return !nodeCapabilities(viewerId).containsKey(DISABLE_IPV4)
        && !nodeCapabilities(peerId).containsKey(DISABLE_IPV4);
  }

  /**
   * Every node serving routes, with the routes it serves: what {@link PrimaryRoutes} elects from.
   */
  public Map<Long, List<IpPrefix>> servedRoutesByNode() {
    Map<Long, List<IpPrefix>> out = new HashMap<>();
    for (Long id : index.routeNodes()) {
      out.put(id, index.served(id));
    }
    return out;
  }

  /**
   * The routes of {@code peerId} that {@code viewerId} is shown (see {@link RouteReach}): its exit
   * routes always, a subnet route where it is primary and the policy lets traffic flow between the
   * viewer and the route, or through a {@code via} grant whether primary or not.
   */
  public PeerRoutes routesShown(long viewerId, long peerId, PrimaryRoutes primaries) {
    List<IpPrefix> served = index.served(peerId);
    if (served.isEmpty()) {
      return PeerRoutes.NONE;
    }
    List<IpPrefix> allowed = new ArrayList<>();
    List<IpPrefix> primary = new ArrayList<>();
    for (IpPrefix route : served) {
      if (route.isDefaultRoute()) {
        allowed.add(route);
        continue;
      }
      boolean shown =
          primaries.isPrimary(peerId, route)
              ? routeReach(peerId, route).shows(viewerId, index)
              : firstViaRouter(viewerId, route, primaries) == peerId;
      if (shown) {
        allowed.add(route);
        primary.add(route);
      }
    }
    return new PeerRoutes(allowed, primary);
  }

  /**
   * The router the viewer is shown a subnet route on: the primary when the policy lets the viewer
   * reach the route there; else, among the routers {@code via} grants lead it through, the first in
   * the election's order (-1 when none).
   */
  private long firstViaRouter(long viewerId, IpPrefix route, PrimaryRoutes primaries) {
    List<Long> ranked = primaries.ranked(route);
    if (!ranked.isEmpty() && routeReach(ranked.get(0), route).shows(viewerId, index)) {
      // a viewer the policy lets reach the route anyway uses the primary, via grants or not
      return ranked.get(0);
    }
    for (Long id : ranked) {
      if (index.served(id).contains(route) && routeReach(id, route).showsThroughVia(viewerId)) {
        return id;
      }
    }
    return -1;
  }

  private final Map<Long, Map<IpPrefix, RouteReach>> routeReach = new ConcurrentHashMap<>();

  private RouteReach routeReach(long routerId, IpPrefix route) {
    return routeReach
        .computeIfAbsent(routerId, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            route,
            r -> {
              BitSet candidates = (BitSet) everyNodeRules.clone();
              BitSet own = rulesByNode.get(routerId);
              if (own != null) {
                candidates.or(own);
              }
              return RouteReach.of(routerId, r, rules, candidates, index);
            });
  }

  /**
   * Advertised routes of the node that the policy's autoApprovers approve and that are not approved
   * yet; the node aggregate records these as approved when routes are advertised or the policy
   * changes.
   */
  public List<IpPrefix> pendingAutoApprovals(long nodeId) {
    TailnetNode n = index.node(nodeId);
    return n == null
        ? List.of()
        : RouteApproval.pendingAutoApprovals(policy, n, index.owner(n), index::names);
  }

  /**
   * The SSH policy for one node (null when the policy has no {@code ssh} section, as Tailscale
   * sends none). A check rule carries its {@link SshCheck}; the gateway names its URL ({@link
   * SshPolicy#withCheckUrl}).
   */
  public SshPolicy sshPolicyFor(long nodeId) {
    return SshCompiler.compile(policy, index, nodeId, true);
  }

  /**
   * The SSH policy as the server itself reads it to answer a check: like {@link #sshPolicyFor}, but
   * a check rule's action also keeps what a passed check grants (sessionDuration and the forwarding
   * flags), which the node is not sent.
   */
  public SshPolicy sshPolicyForChecks(long nodeId) {
    return SshCompiler.compile(policy, index, nodeId, false);
  }

  /** Runs the policy's {@code tests} block; an empty list means every test passed. */
  public List<String> runTests() {
    return new PolicyTester(policy, index, rules).run();
  }

  /**
   * Runs the policy's {@code sshTests} block against each destination's SSH policy; empty when all
   * pass.
   */
  public List<String> runSshTests() {
    return new SshTester(policy, index).run();
  }

  /**
   * The capabilities {@code nodeAttrs} (and {@code randomizeClientPort}) give the node, for its own
   * {@code Node.CapMap}; a capability without values maps to null. Empty for an unknown node.
   */
  public Map<String, List<com.fasterxml.jackson.databind.JsonNode>> nodeCapabilities(long nodeId) {
    return NodeCapabilities.forNode(policy, index, nodeId);
  }

  /**
   * The {@code nodeAttrs} address pools (IPv4 prefixes, policy order) a new node of this owner
   * (null: tagged) with these tags gets its address from; empty when none applies.
   */
  public List<IpPrefix> ipPoolsFor(Long userId, Set<String> tags) {
    if (!IpPools.hasPools(policy)) {
      return List.of();
    }
    long id = 1 + index.snapshot.nodes().stream().mapToLong(TailnetNode::id).max().orElse(0);
    TailnetNode candidate = IpPools.candidate(id, userId, tags);
    return IpPools.applying(policy, index.withNode(candidate), candidate);
  }

  /**
   * The part of the node's capabilities its peers see in their netmap ({@code suggest-exit-node} on
   * exit nodes).
   */
  public Map<String, List<com.fasterxml.jackson.databind.JsonNode>> peerCapabilities(long nodeId) {
    return NodeCapabilities.asPeer(policy, index, nodeId);
  }

  /**
   * Recompiles after one node was added or changed (tags, routes, addresses, owner). Only rules
   * whose sources or destinations name the node before or after the change are resolved again;
   * every other rule, and every cached filter not listed in {@link Recompiled#affectedNodes()}, is
   * reused. A gateway sends new packet filters to {@link Recompiled#affectedNodes()} and
   * re-evaluates peers for {@link Recompiled#peersMayChange()}.
   */
  public Recompiled withNode(TailnetNode updated) {
    TailnetNode old = index.node(updated.id());
    TailnetIndex next = index.withNode(updated);
    boolean routesChanged =
        old == null || !index.served(updated.id()).equals(next.served(updated.id()));
    return Recompilation.recompile(this, updated.id(), old, updated, next, routesChanged);
  }

  /**
   * Recompiles after one node was deleted: the mirror of {@link #withNode}. Only rules that named
   * the node are resolved again (every rule when it served routes, as {@code *} sources list every
   * served route); {@link Recompiled#affectedNodes()} are the remaining nodes whose packet filter
   * may differ, {@link Recompiled#peersMayChange()} those whose peer list may differ besides losing
   * the deleted node. Unchanged when the node is unknown.
   */
  public Recompiled withoutNode(long nodeId) {
    TailnetNode old = index.node(nodeId);
    if (old == null) {
      return new Recompiled(this, Set.of(), Set.of());
    }
    TailnetIndex next = index.withoutNode(nodeId);
    return Recompilation.recompile(this, nodeId, old, null, next, !index.served(nodeId).isEmpty());
  }

  /**
   * Recompiles after users changed (renamed, added, deleted; the nodes unchanged). A policy names
   * users only through tokens ({@code alice@}, {@code alice@example.com}) that a user matches by
   * login name or e-mail: when every string in the policy matches each changed user as it did
   * before, nothing resolves differently, the rules and filters are kept and only the users are
   * replaced (no node affected). Otherwise the policy is compiled again and every node is reported.
   */
  public Recompiled withUsers(Collection<TailnetUser> users) {
    TailnetSnapshot next =
        TailnetSnapshot.of(users, index.snapshot.nodes()).withSettings(index.snapshot.settings());
    Set<Long> changed = new TreeSet<>();
    for (TailnetUser u : users) {
      if (!u.equals(index.snapshot.user(u.id()))) {
        changed.add(u.id());
      }
    }
    for (TailnetUser u : index.snapshot.users()) {
      if (next.user(u.id()) == null) {
        changed.add(u.id());
      }
    }
    if (changed.isEmpty()) {
      return new Recompiled(this, Set.of(), Set.of());
    }
    boolean namedDifferently = false;
    for (Long id : changed) {
      TailnetUser was = index.snapshot.user(id);
      TailnetUser now = next.user(id);
      if (was == null || now == null) {
        // a user that owns nodes cannot come or go without them; one that owns none is named by
        // no node's owner, only through the tokens below
        namedDifferently |= !index.nodesOfUser(id).isEmpty();
      }
      for (String token : userTokens()) {
        if ((was != null && was.matches(token)) != (now != null && now.matches(token))) {
          namedDifferently = true;
          break;
        }
      }
      if (namedDifferently) {
        break;
      }
    }
    if (namedDifferently) {
      CompiledPolicy full = compile(policy, next);
      Set<Long> all = new TreeSet<>();
      next.nodes().forEach(n -> all.add(n.id()));
      return new Recompiled(
          full, Collections.unmodifiableSet(all), Collections.unmodifiableSet(all));
    }
    CompiledPolicy same =
        new CompiledPolicy(
            policy,
            index.withUsers(next),
            rules,
            everyNodeRules,
            rulesByNode,
            new ConcurrentHashMap<>(filters));
    return new Recompiled(same, Set.of(), Set.of());
  }

  /**
   * The policy's user tokens that more than one user is a candidate for, each with its candidates
   * (see {@link UserTokens}); such a token names nobody here. Empty when every token names at most
   * one user. Setting a policy with one is refused; for a stored one it is a problem to report.
   */
  public Map<String, List<TailnetUser>> ambiguousUsers() {
    return UserTokens.ambiguous(userTokens(), index.snapshot.users());
  }

  /**
   * Every string the parsed policy holds (and each part before a {@code :}), as a superset of the
   * user tokens it names; collected once per compiled policy family.
   */
  private Set<String> userTokens() {
    Set<String> out = tokens;
    if (out == null) {
      out = new java.util.HashSet<>();
      PolicyStrings.collect(policy, out);
      tokens = out;
    }
    return out;
  }

  /**
   * The next compiled policy; the nodes whose packet filter may differ from before; and the nodes
   * whose peer list may differ (a superset: sources that gained or lost the changed node as a
   * destination see it appear or go).
   */
  public record Recompiled(
      CompiledPolicy policy, Set<Long> affectedNodes, Set<Long> peersMayChange) {}
}
