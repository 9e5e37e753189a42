// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.AccessRule;
import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.Destination;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.PortRange;
import io.ledgerscale.domain.policy.net.IpAddress;
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

  private final Policy policy;
  private final TailnetIndex index;
  private final List<CompiledRule> rules;
  private final BitSet everyNodeRules;
  private final Map<Long, BitSet> rulesByNode;
  private final Map<Long, List<FilterRule>> filters;

  /** Every node id as bits (or FALSE when ids are too large for bits), for peersOf; lazy. */
  private volatile Object allBits;

  /** The policy's strings, for {@link #withUsers}; filled on first use. */
  private Set<String> tokens;

  /** For each merge key, the first rule (in policy order) with those sources and protocols. */
  private final Map<String, Integer> firstRuleByKey;

  private CompiledPolicy(
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
    this.firstRuleByKey = new HashMap<>();
    for (CompiledRule r : rules) {
      // only rules that yield a tailnet-wide filter rule hold a place: not autogroup:self, nor a
      // via
      // grant, whose rule exists only on the routers it leads through (via-grant-v42: a router's
      // rules keep policy order although an earlier via grant elsewhere has the same sources)
      if (!r.entries.isEmpty() && !r.srcStrings.isEmpty() && r.rule.via().isEmpty()) {
        firstRuleByKey.putIfAbsent(r.mergeKey, r.index);
      }
    }
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

  private static void indexRule(CompiledRule r, BitSet every, Map<Long, BitSet> byNode) {
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
    List<FilterRule> computed = computeFilter(nodeId);
    filters.put(nodeId, computed);
    return computed;
  }

  private List<FilterRule> computeFilter(long nodeId) {
    TailnetNode node = index.node(nodeId);
    if (node == null) {
      return List.of();
    }
    BitSet candidates = (BitSet) everyNodeRules.clone();
    BitSet own = rulesByNode.get(nodeId);
    if (own != null) {
      candidates.or(own);
    }
    // Rules with identical sources and protocols are merged into the first one in policy order, as
    // Tailscale
    // does, even when that first rule does not concern this node: the merged rule keeps the first
    // one's place.
    // Emission slots: rule i's ordinary part is 2i, its autogroup:self part 2i+1.
    Map<String, Group> groups = new HashMap<>();
    List<Group> order = new ArrayList<>();
    for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
      CompiledRule r = rules.get(i);
      if (r.rule.isApp()) {
        appGroups(r, node, order);
        continue;
      }
      List<NetPortRange> mine = r.dstByNode.get(nodeId);
      List<NetPortRange> d = r.wildcardDsts;
      if (mine != null) {
        d = new ArrayList<>(r.wildcardDsts);
        d.addAll(mine);
      }
      if (!d.isEmpty() && !r.srcStrings.isEmpty()) {
        group(groups, order, r.mergeKey, 2 * i, r.srcStrings, r.ipProto).dsts.addAll(d);
      }
      if (r.hasSelfDestination() && !node.isTagged() && node.userId() != null) {
        List<String> selfSrc = selfSources(r, node);
        if (!selfSrc.isEmpty()) {
          Group g =
              group(
                  groups,
                  order,
                  CompiledRule.mergeKey(selfSrc, r.ipProto),
                  2 * i + 1,
                  selfSrc,
                  r.ipProto);
          for (PortRange pr : r.selfPorts) {
            for (IpAddress a : node.addresses()) {
              g.dsts.add(new NetPortRange(a.toString(), pr));
            }
          }
        }
      }
    }
    order.sort(java.util.Comparator.comparingInt(g -> g.slot));
    List<FilterRule> out = new ArrayList<>(order.size());
    for (Group g : order) {
      out.add(new FilterRule(g.src, g.dsts, g.proto, g.caps));
    }
    return List.copyOf(out);
  }

  /**
   * An app rule's part of a node's filter: never merged with other rules, as Tailscale keeps them
   * apart.
   */
  private void appGroups(CompiledRule r, TailnetNode node, List<Group> order) {
    List<CapGrant> caps = r.capByNode.get(node.id());
    // sources that name nobody still make the rule (with no SrcIPs), as Tailscale sends it
    if (caps != null) {
      Group g = new Group(2 * r.index, r.srcStrings, List.of());
      g.caps.addAll(caps);
      order.add(g);
    }
    if (r.capSelf && !node.isTagged() && node.userId() != null) {
      List<String> selfSrc = selfSources(r, node);
      if (!selfSrc.isEmpty()) {
        Group g = new Group(2 * r.index + 1, selfSrc, List.of());
        g.caps.add(
            new CapGrant(List.copyOf(RuleResolver.ownPrefixes(node, null)), r.rule.capMap()));
        order.add(g);
      }
    }
  }

  /**
   * Rules merged into one filter rule for a node, placed at the first slot their sources appear in
   * the policy.
   */
  private static final class Group {
    final int slot;
    final List<String> src;
    final List<Integer> proto;
    final List<NetPortRange> dsts = new ArrayList<>();
    final List<CapGrant> caps = new ArrayList<>();

    Group(int slot, List<String> src, List<Integer> proto) {
      this.slot = slot;
      this.src = src;
      this.proto = proto;
    }
  }

  private Group group(
      Map<String, Group> groups,
      List<Group> order,
      String key,
      int slot,
      List<String> src,
      List<Integer> proto) {
    Group g = groups.get(key);
    if (g == null) {
      Integer first = firstRuleByKey.get(key);
      g = new Group(first == null ? slot : Math.min(slot, 2 * first), src, proto);
      groups.put(key, g);
      order.add(g);
    }
    return g;
  }

  /** For autogroup:self: the same user's untagged nodes that the rule's sources include. */
  private List<String> selfSources(CompiledRule r, TailnetNode node) {
    Set<String> out = new TreeSet<>();
    for (Long id : index.nodesOfUser(node.userId())) {
      // srcNodes already holds every node whose address the sources cover
      if (r.srcEverything || r.srcNodes.contains(id)) {
        TailnetNode peer = index.node(id);
        for (IpAddress a : peer.addresses()) {
          out.add(a.toString());
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Nodes this node may see in its netmap: those that can reach it and those it can reach, under
   * any rule (before ports are considered). With no access rules every node sees every other.
   */
  public Set<Long> peersOf(long nodeId) {
    TailnetNode node = index.node(nodeId);
    if (node == null) {
      return Set.of();
    }
    if (allBits() != null) {
      return new NodeIdSet(peerBits(node));
    }
    Set<Long> out = new TreeSet<>();
    boolean everyone = false;
    for (CompiledRule r : rules) {
      boolean nodeIsDst = !r.wildcardDsts.isEmpty() || r.dstByNode.containsKey(nodeId);
      boolean nodeIsSrc = r.srcNodes.contains(nodeId);
      if (nodeIsDst && !everyone) {
        out.addAll(r.srcNodes);
      }
      if (nodeIsSrc) {
        everyone |= !r.wildcardDsts.isEmpty();
        if (!everyone) {
          out.addAll(r.dstByNode.keySet());
        }
      }
      if (r.hasSelfDestination() && !node.isTagged() && (nodeIsSrc || r.srcEverything)) {
        for (Long id : index.nodesOfUser(node.userId())) {
          if (r.srcEverything || r.srcNodes.contains(id)) {
            out.add(id);
          }
        }
      }
    }
    if (everyone) {
      index.snapshot.nodes().forEach(n -> out.add(n.id()));
    }
    out.remove(nodeId);
    return out;
  }

  /** {@link #peersOf} as bits: the same walk over the rules, or-ing their node sets. */
  private BitSet peerBits(TailnetNode node) {
    long nodeId = node.id();
    BitSet out = new BitSet();
    boolean everyone = false;
    for (CompiledRule r : rules) {
      boolean nodeIsDst = !r.wildcardDsts.isEmpty() || r.dstByNode.containsKey(nodeId);
      boolean nodeIsSrc = r.srcNodes.contains(nodeId);
      if (nodeIsDst && !everyone) {
        out.or(r.srcBits());
      }
      if (nodeIsSrc) {
        everyone |= !r.wildcardDsts.isEmpty();
        if (!everyone) {
          out.or(r.dstBits());
        }
      }
      if (r.hasSelfDestination() && !node.isTagged() && (nodeIsSrc || r.srcEverything)) {
        for (Long id : index.nodesOfUser(node.userId())) {
          if (r.srcEverything || r.srcNodes.contains(id)) {
            out.set((int) (long) id);
          }
        }
      }
    }
    if (everyone) {
      out.or(allBits());
    }
    out.clear((int) nodeId);
    return out;
  }

  /**
   * Every node id as bits, or null when some id falls outside what bits can hold (then {@link
   * #peersOf} answers a sorted set).
   */
  private BitSet allBits() {
    Object b = allBits;
    if (b == null) {
      BitSet all = new BitSet();
      for (TailnetNode n : index.snapshot.nodes()) {
        if (n.id() < 0 || n.id() > NodeIdSet.MAX_ID) {
          all = null;
          break;
        }
        all.set((int) n.id());
      }
      b = all == null ? Boolean.FALSE : all;
      allBits = b;
    }
    return b instanceof BitSet bits ? bits : null;
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
   * sends none).
   */
  public SshPolicy sshPolicyFor(long nodeId, String checkUrlBase) {
    return SshCompiler.compile(policy, index, nodeId, checkUrlBase, true);
  }

  /**
   * The SSH policy as the server itself reads it to answer a check: like {@link #sshPolicyFor}, but
   * a check rule's action also keeps what a passed check grants (sessionDuration and the forwarding
   * flags), which the node is not sent.
   */
  public SshPolicy sshPolicyForChecks(long nodeId, String checkUrlBase) {
    return SshCompiler.compile(policy, index, nodeId, checkUrlBase, false);
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
    return recompile(updated.id(), old, updated, next, routesChanged);
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
    return recompile(nodeId, old, null, next, !index.served(nodeId).isEmpty());
  }

  /**
   * Re-resolves the rules that name {@code old} or {@code updated} (null: deleted) against next.
   */
  private Recompiled recompile(
      long nodeId, TailnetNode old, TailnetNode updated, TailnetIndex next, boolean routesChanged) {
    List<CompiledRule> newRules = new ArrayList<>(rules);
    Set<Long> affected = new TreeSet<>();
    if (updated != null) {
      affected.add(nodeId);
    }
    Set<Long> peersChanged = new TreeSet<>();
    BitSet every = (BitSet) everyNodeRules.clone();
    Map<Long, BitSet> byNode = new HashMap<>(rulesByNode);
    boolean allNodes = false;
    Map<List<Alias>, RuleResolver.Sources> sourceCache = new HashMap<>();
    for (CompiledRule r : rules) {
      boolean touched =
          routesChanged
              || touches(r.rule, old, index)
              || touches(r.rule, updated, next)
              // a deleted node leaves rules that hold it without naming it ("*", autogroups)
              || (updated == null && r.holds(nodeId));
      if (!touched) {
        continue;
      }
      CompiledRule fresh = RuleResolver.build(r.index, r.rule, next, sourceCache);
      newRules.set(r.index, fresh);
      boolean sourcesChanged = !fresh.srcStrings.equals(r.srcStrings);
      if (sourcesChanged && (!r.wildcardDsts.isEmpty() || !fresh.wildcardDsts.isEmpty())) {
        allNodes = true;
      }
      if (!r.dstByNode.keySet().equals(fresh.dstByNode.keySet())) {
        // sources gain or lose a destination: their peer lists change even though their filters do
        // not
        peersChanged.addAll(r.srcNodes);
        peersChanged.addAll(fresh.srcNodes);
      }
      if (r.hasSelfDestination()) {
        if (old != null) {
          affected.addAll(index.nodesOfUser(old.userId()));
        }
        if (updated != null) {
          affected.addAll(next.nodesOfUser(updated.userId()));
        }
      }
      for (Long id : r.dstByNode.keySet()) {
        if (sourcesChanged
            || !Objects.equals(r.dstByNode.get(id), fresh.dstByNode.get(id))
            || !Objects.equals(r.capByNode.get(id), fresh.capByNode.get(id))) {
          affected.add(id);
        }
        BitSet b = (BitSet) byNode.get(id).clone();
        b.clear(r.index);
        byNode.put(id, b);
      }
      for (Long id : fresh.dstByNode.keySet()) {
        if (sourcesChanged
            || !Objects.equals(r.dstByNode.get(id), fresh.dstByNode.get(id))
            || !Objects.equals(r.capByNode.get(id), fresh.capByNode.get(id))) {
          affected.add(id);
        }
        BitSet b = byNode.containsKey(id) ? (BitSet) byNode.get(id).clone() : new BitSet();
        b.set(r.index);
        byNode.put(id, b);
      }
      every.clear(r.index);
      if (!fresh.wildcardDsts.isEmpty() || fresh.hasSelfDestination()) {
        every.set(r.index);
      }
    }
    if (allNodes) {
      next.snapshot.nodes().forEach(n -> affected.add(n.id()));
    }
    Map<Long, List<FilterRule>> cache = new ConcurrentHashMap<>(filters);
    affected.forEach(cache::remove);
    if (updated == null) {
      // the deleted node's own entries: nothing asks for them any more
      cache.remove(nodeId);
      byNode.remove(nodeId);
      affected.remove(nodeId);
      peersChanged.remove(nodeId);
    }
    CompiledPolicy compiled =
        new CompiledPolicy(policy, next, List.copyOf(newRules), every, byNode, cache);
    peersChanged.addAll(affected);
    return new Recompiled(
        compiled, Collections.unmodifiableSet(affected), Collections.unmodifiableSet(peersChanged));
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

  /** Does any alias of the rule name this node (by identity, address or route)? */
  private static boolean touches(AccessRule rule, TailnetNode node, TailnetIndex idx) {
    if (node == null) {
      return false;
    }
    for (Alias a : rule.sources()) {
      if (names(a, node, idx)) {
        return true;
      }
    }
    for (Destination d : rule.destinations()) {
      if (names(d.alias(), node, idx)) {
        return true;
      }
    }
    return false;
  }

  private static boolean names(Alias a, TailnetNode node, TailnetIndex idx) {
    if (a instanceof Alias.Wildcard) {
      return false;
    }
    if (a instanceof Alias.Tag t) {
      return node.tags().contains(t.text());
    }
    if (a instanceof Alias.AutoGroup ag) {
      return switch (ag.kind()) {
        case MEMBER, SELF -> !node.isTagged();
        case TAGGED -> node.isTagged();
        case INTERNET -> idx.isExitNode(node.id());
        case ADMIN, OWNER -> idx.nodesOf(ag).contains(node.id());
        default -> false;
      };
    }
    TailnetUser owner = idx.owner(node);
    if (a instanceof Alias.User u) {
      return idx.names(u.text(), owner);
    }
    if (a instanceof Alias.Group g) {
      return owner != null && Groups.contains(idx.policy, g.text(), t -> idx.names(t, owner));
    }
    IpPrefix p = idx.prefixOf(a);
    if (p != null) {
      for (IpAddress addr : node.addresses()) {
        if (p.contains(addr)) {
          return true;
        }
      }
      for (IpPrefix r : idx.served(node.id())) {
        if (r.overlaps(p) || (r.isDefaultRoute() && TailnetRanges.INTERNET.covers(p.range()))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The next compiled policy; the nodes whose packet filter may differ from before; and the nodes
   * whose peer list may differ (a superset: sources that gained or lost the changed node as a
   * destination see it appear or go).
   */
  public record Recompiled(
      CompiledPolicy policy, Set<Long> affectedNodes, Set<Long> peersMayChange) {}
}
