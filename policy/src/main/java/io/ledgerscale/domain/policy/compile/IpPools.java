// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.NodeAttr;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code nodeAttrs} address pools that apply to a node about to be registered, resolved as the
 * entry's capabilities would be for it: a node of that owner (null: tagged) with those tags, not
 * yet holding an address (so targets naming addresses or hosts do not name it).
 */
public final class IpPools {
  private IpPools() {}

  /**
   * The pools, in policy order without repeats; empty when none applies (the common case costs no
   * resolution: a policy without {@code ipPool} answers at once).
   */
  public static List<IpPrefix> forNewNode(
      Policy policy, TailnetSnapshot snapshot, Long userId, Set<String> tags) {
    if (!hasPools(policy)) {
      return List.of();
    }
    long id = 1 + snapshot.nodes().stream().mapToLong(TailnetNode::id).max().orElse(0);
    TailnetNode candidate = candidate(id, userId, tags);
    return applying(policy, TailnetIndex.build(policy, snapshot.withNode(candidate)), candidate);
  }

  static boolean hasPools(Policy policy) {
    return policy.nodeAttrs().stream().anyMatch(a -> !a.ipPool().isEmpty());
  }

  static TailnetNode candidate(long id, Long userId, Set<String> tags) {
    return new TailnetNode(id, "", null, null, userId, tags, List.of(), List.of());
  }

  static List<IpPrefix> applying(Policy policy, TailnetIndex idx, TailnetNode node) {
    List<IpPrefix> out = new ArrayList<>();
    for (NodeAttr attr : policy.nodeAttrs()) {
      if (attr.ipPool().isEmpty()
          || attr.targets().stream().noneMatch(t -> NodeCapabilities.names(t, node, idx))) {
        continue;
      }
      for (IpPrefix p : attr.ipPool()) {
        if (!out.contains(p)) {
          out.add(p);
        }
      }
    }
    return List.copyOf(out);
  }

  /** Every pool the policy names, whatever its targets. */
  public static List<IpPrefix> all(Policy policy) {
    return policy.nodeAttrs().stream().flatMap(a -> a.ipPool().stream()).distinct().toList();
  }
}
