// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.AccessRule;
import io.ledgerscale.domain.policy.PortRange;
import io.ledgerscale.domain.policy.net.IpRange;
import io.ledgerscale.domain.policy.net.IpSet;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One access rule resolved against the tailnet once: its source addresses in filter-rule text and
 * as a set, and its destinations indexed by the node that receives them. A node's packet filter is
 * assembled from the rules that index it, so compiling a node does not look at rules that cannot
 * concern it.
 */
final class CompiledRule {
  /** One destination entry as resolved, kept for policy tests and peer visibility. */
  record Entry(NetPortRange wire, IpRange range, boolean everything, boolean address) {}

  final int index;
  final AccessRule rule;
  final List<String> srcStrings;

  /**
   * Rules with equal sources and protocols merge in a node's filter; this is what "equal" compares.
   */
  final String mergeKey;

  final IpSet srcSet;
  final boolean srcEverything;

  /**
   * Nodes that can originate traffic this rule accepts: by address, or as subnet router for a
   * source range.
   */
  final Set<Long> srcNodes;

  final List<Integer> ipProto;
  final List<NetPortRange> wildcardDsts;
  final Map<Long, List<NetPortRange>> dstByNode;
  final List<PortRange> selfPorts;
  final List<Entry> entries;

  /**
   * For an app rule: the capability grants each destination node receives (one per dst alias naming
   * it).
   */
  final Map<Long, List<CapGrant>> capByNode;

  /**
   * For an app rule naming autogroup:self: each user's devices get the capabilities from their own
   * devices.
   */
  final boolean capSelf;

  CompiledRule(
      int index,
      AccessRule rule,
      List<String> srcStrings,
      IpSet srcSet,
      boolean srcEverything,
      Set<Long> srcNodes,
      List<NetPortRange> wildcardDsts,
      Map<Long, List<NetPortRange>> dstByNode,
      List<PortRange> selfPorts,
      List<Entry> entries) {
    this(
        index,
        rule,
        srcStrings,
        srcSet,
        srcEverything,
        srcNodes,
        wildcardDsts,
        dstByNode,
        selfPorts,
        entries,
        Map.of(),
        false);
  }

  CompiledRule(
      int index,
      AccessRule rule,
      List<String> srcStrings,
      IpSet srcSet,
      boolean srcEverything,
      Set<Long> srcNodes,
      List<NetPortRange> wildcardDsts,
      Map<Long, List<NetPortRange>> dstByNode,
      List<PortRange> selfPorts,
      List<Entry> entries,
      Map<Long, List<CapGrant>> capByNode,
      boolean capSelf) {
    this.index = index;
    this.rule = rule;
    this.srcStrings = srcStrings;
    this.mergeKey = mergeKey(srcStrings, rule.ipProto());
    this.srcSet = srcSet;
    this.srcEverything = srcEverything;
    this.srcNodes = srcNodes;
    this.ipProto = rule.ipProto();
    this.wildcardDsts = wildcardDsts;
    this.dstByNode = dstByNode;
    this.selfPorts = selfPorts;
    this.entries = entries;
    this.capByNode = capByNode;
    this.capSelf = capSelf;
  }

  static String mergeKey(List<String> src, List<Integer> proto) {
    return String.join(",", src) + "|" + proto;
  }

  /** {@link #srcNodes} and the keys of {@link #dstByNode} as bits, made on first use. */
  private volatile BitSet srcBits;

  private volatile BitSet dstBits;

  /** The source nodes as bits (ids within {@link NodeIdSet#MAX_ID}); not to be modified. */
  BitSet srcBits() {
    BitSet b = srcBits;
    if (b == null) {
      b = bits(srcNodes);
      srcBits = b;
    }
    return b;
  }

  /** The destination nodes as bits (ids within {@link NodeIdSet#MAX_ID}); not to be modified. */
  BitSet dstBits() {
    BitSet b = dstBits;
    if (b == null) {
      b = bits(dstByNode.keySet());
      dstBits = b;
    }
    return b;
  }

  static BitSet bits(java.util.Collection<Long> ids) {
    BitSet b = new BitSet();
    for (Long id : ids) {
      b.set((int) (long) id);
    }
    return b;
  }

  /** Does the resolved rule hold this node, as a source or a destination? */
  boolean holds(long nodeId) {
    return srcNodes.contains(nodeId)
        || dstByNode.containsKey(nodeId)
        || capByNode.containsKey(nodeId);
  }

  boolean hasSelfDestination() {
    return !selfPorts.isEmpty() || capSelf;
  }
}
