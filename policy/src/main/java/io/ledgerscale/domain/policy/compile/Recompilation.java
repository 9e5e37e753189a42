// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.AccessRule;
import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.Destination;
import io.ledgerscale.domain.policy.compile.CompiledPolicy.Recompiled;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The incremental part of {@link CompiledPolicy#withNode} and {@link CompiledPolicy#withoutNode}:
 * which rules a changed node takes part in, resolving only those again, and which nodes' filters
 * and peer lists that may change.
 */
final class Recompilation {
  private Recompilation() {}

  /**
   * Re-resolves the rules that name {@code old} or {@code updated} (null: deleted) against next.
   */
  static Recompiled recompile(
      CompiledPolicy p,
      long nodeId,
      TailnetNode old,
      TailnetNode updated,
      TailnetIndex next,
      boolean routesChanged) {
    List<CompiledRule> newRules = new ArrayList<>(p.rules);
    Set<Long> affected = new TreeSet<>();
    if (updated != null) {
      affected.add(nodeId);
    }
    Set<Long> peersChanged = new TreeSet<>();
    BitSet every = (BitSet) p.everyNodeRules.clone();
    Map<Long, BitSet> byNode = new HashMap<>(p.rulesByNode);
    boolean allNodes = false;
    Map<List<Alias>, RuleResolver.Sources> sourceCache = new HashMap<>();
    for (CompiledRule r : p.rules) {
      boolean touched =
          routesChanged
              || touches(r.rule, old, p.index)
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
          affected.addAll(p.index.nodesOfUser(old.userId()));
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
    Map<Long, List<FilterRule>> cache = new ConcurrentHashMap<>(p.filters);
    affected.forEach(cache::remove);
    if (updated == null) {
      // the deleted node's own entries: nothing asks for them any more
      cache.remove(nodeId);
      byNode.remove(nodeId);
      affected.remove(nodeId);
      peersChanged.remove(nodeId);
    }
    CompiledPolicy compiled =
        new CompiledPolicy(p.policy, next, List.copyOf(newRules), every, byNode, cache);
    peersChanged.addAll(affected);
    return new Recompiled(
        compiled, Collections.unmodifiableSet(affected), Collections.unmodifiableSet(peersChanged));
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
}
