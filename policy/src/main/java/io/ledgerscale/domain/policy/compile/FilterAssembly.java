// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.PortRange;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Assembles one node's packet filter from the compiled rules that concern it, in the order and with
 * the merging Tailscale applies; {@link CompiledPolicy} memoizes the result per node.
 */
final class FilterAssembly {
  private final TailnetIndex index;
  private final List<CompiledRule> rules;
  private final BitSet everyNodeRules;
  private final Map<Long, BitSet> rulesByNode;

  /** For each merge key, the first rule (in policy order) with those sources and protocols. */
  private final Map<String, Integer> firstRuleByKey = new HashMap<>();

  FilterAssembly(
      TailnetIndex index,
      List<CompiledRule> rules,
      BitSet everyNodeRules,
      Map<Long, BitSet> rulesByNode) {
    this.index = index;
    this.rules = rules;
    this.everyNodeRules = everyNodeRules;
    this.rulesByNode = rulesByNode;
    for (CompiledRule r : rules) {
      // only rules that yield a tailnet-wide filter rule hold a place: not autogroup:self, nor a
      // via grant, whose rule exists only on the routers it leads through (via-grant-v42: a
      // router's rules keep policy order although an earlier via grant elsewhere has the same
      // sources)
      if (!r.entries.isEmpty() && !r.srcStrings.isEmpty() && r.rule.via().isEmpty()) {
        firstRuleByKey.putIfAbsent(r.mergeKey, r.index);
      }
    }
  }

  List<FilterRule> filterOf(long nodeId) {
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
}
