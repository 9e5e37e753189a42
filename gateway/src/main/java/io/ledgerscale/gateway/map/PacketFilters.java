// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.gateway.tailcfg.FilterRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Each node's packet filter in tailcfg form. */
final class PacketFilters {
  /**
   * A node's packet filter in tailcfg form, converted once per compiled filter: the compiled policy
   * hands out the same list until the node's filter changes, so identity says when to convert
   * again, and streams keep sharing (and comparing by identity) one converted list.
   */
  List<FilterRule> of(CompiledPolicy policy, long nodeId) {
    List<io.ledgerscale.domain.policy.compile.FilterRule> compiled = policy.filterFor(nodeId);
    ConvertedFilter hit = filterCache.get(nodeId);
    if (hit != null && hit.compiled() == compiled) {
      return hit.converted();
    }
    List<FilterRule> converted = convert(compiled);
    filterCache.put(nodeId, new ConvertedFilter(compiled, converted));
    return converted;
  }

  private record ConvertedFilter(
      List<io.ledgerscale.domain.policy.compile.FilterRule> compiled, List<FilterRule> converted) {}

  private final Map<Long, ConvertedFilter> filterCache = new ConcurrentHashMap<>();

  /** Drops the filters of nodes that are no longer in the tailnet. */
  void retain(Set<Long> nodeIds) {
    filterCache.keySet().retainAll(nodeIds);
  }

  private static List<FilterRule> convert(
      List<io.ledgerscale.domain.policy.compile.FilterRule> compiled) {
    List<FilterRule> out = new ArrayList<>();
    for (io.ledgerscale.domain.policy.compile.FilterRule r : compiled) {
      List<FilterRule.NetPortRange> dsts = new ArrayList<>();
      r.dstPorts()
          .forEach(
              d ->
                  dsts.add(
                      new FilterRule.NetPortRange(
                          d.ip(), new FilterRule.PortRange(d.ports().first(), d.ports().last()))));
      List<FilterRule.CapGrant> caps =
          r.capGrant().stream().map(g -> new FilterRule.CapGrant(g.dsts(), g.capMap())).toList();
      out.add(
          new FilterRule(
              r.srcIps(),
              dsts,
              r.ipProto().isEmpty() ? null : r.ipProto(),
              caps.isEmpty() ? null : caps));
    }
    return List.copyOf(out);
  }
}
