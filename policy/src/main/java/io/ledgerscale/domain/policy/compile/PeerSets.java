// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.topology.TailnetNode;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Which nodes each node may see, from the compiled rules: as bits while node ids fit them. */
final class PeerSets {
  private final TailnetIndex index;
  private final List<CompiledRule> rules;

  /** Every node id as bits (or FALSE when ids are too large for bits), for peersOf; lazy. */
  private volatile Object allBits;

  PeerSets(TailnetIndex index, List<CompiledRule> rules) {
    this.index = index;
    this.rules = rules;
  }

  /**
   * Nodes this node may see in its netmap: those that can reach it and those it can reach, under
   * any rule (before ports are considered). With no access rules every node sees every other.
   */
  Set<Long> peersOf(long nodeId) {
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
}
