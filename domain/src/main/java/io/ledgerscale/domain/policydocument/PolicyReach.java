// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import io.ledgerscale.domain.api.query.FilterRuleView;
import io.ledgerscale.domain.api.query.PolicyReachView;
import io.ledgerscale.domain.api.query.ReachablePeerView;
import io.ledgerscale.domain.policy.PortRange;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.FilterRule;
import io.ledgerscale.domain.policy.compile.NetPortRange;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpRange;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * "What could this node reach at time T, and under which policy": the events up to T folded by
 * {@link TailnetHistory}, compiled by {@link PolicyEngine} exactly as the live server compiles
 * them. A packet from the node to a peer passes when the peer's own filter accepts it, so the
 * reachable ports on a peer are read from that peer's filter.
 */
public final class PolicyReach {
  private PolicyReach() {}

  /** The answer for the node, or null when the node did not exist at that time. */
  public static PolicyReachView at(TailnetHistory history, long nodeId, Instant at) {
    return at(history, TailnetSettings.NONE, nodeId, at);
  }

  /** The same, with the operator's tailnet settings (config, not events: today's apply). */
  public static PolicyReachView at(
      TailnetHistory history, TailnetSettings settings, long nodeId, Instant at) {
    TailnetSnapshot snapshot = history.snapshot().withSettings(settings);
    TailnetNode node = snapshot.node(nodeId);
    if (node == null) {
      return null;
    }
    TailnetHistory.PolicyInForce policy = history.policy().orElse(null);
    CompiledPolicy compiled = PolicyEngine.compile(policy == null ? null : policy.text(), snapshot);
    List<FilterRuleView> filter = new ArrayList<>();
    for (FilterRule r : compiled.filterFor(nodeId)) {
      filter.add(
          new FilterRuleView(
              r.srcIps(), r.dstPorts().stream().map(PolicyReach::text).toList(), r.ipProto()));
    }
    List<ReachablePeerView> peers = new ArrayList<>();
    for (TailnetNode peer : snapshot.nodes()) {
      if (peer.id() == nodeId) {
        continue;
      }
      Set<String> ports = portsFrom(compiled.filterFor(peer.id()), node, peer);
      if (!ports.isEmpty()) {
        peers.add(
            new ReachablePeerView(peer.id(), peer.name(), addresses(peer), List.copyOf(ports)));
      }
    }
    TailnetUser owner = snapshot.user(node.owningUserId());
    return new PolicyReachView(
        at,
        policy == null ? 0 : policy.version(),
        policy == null ? null : policy.sha256(),
        policy == null ? null : policy.changedAt(),
        nodeId,
        node.name(),
        addresses(node),
        List.copyOf(new TreeSet<>(node.tags())),
        owner == null ? null : owner.name(),
        List.copyOf(filter),
        List.copyOf(peers));
  }

  /**
   * Ports on {@code peer}'s own addresses that {@code peer}'s filter opens to any of {@code from}'s
   * addresses.
   */
  private static Set<String> portsFrom(
      List<FilterRule> peerFilter, TailnetNode from, TailnetNode peer) {
    Set<String> out = new LinkedHashSet<>();
    for (FilterRule rule : peerFilter) {
      if (!anyCovers(rule.srcIps(), from.addresses())) {
        continue;
      }
      for (NetPortRange dst : rule.dstPorts()) {
        if (anyCovers(List.of(dst.ip()), peer.addresses())) {
          out.add(ports(dst.ports()));
        }
      }
    }
    return out;
  }

  private static boolean anyCovers(List<String> specs, List<IpAddress> addresses) {
    for (String spec : specs) {
      if (spec.equals("*")) {
        return !addresses.isEmpty();
      }
      IpRange range;
      try {
        range = IpRange.parse(spec);
      } catch (IllegalArgumentException notAnAddress) {
        continue;
      }
      for (IpAddress a : addresses) {
        if (range.contains(a)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> addresses(TailnetNode node) {
    return node.addresses().stream().map(IpAddress::toString).toList();
  }

  private static String text(NetPortRange d) {
    // an IPv6 address is bracketed so its last group is not read as the port
    String ip = d.ip().contains(":") ? "[" + d.ip() + "]" : d.ip();
    return ip + ":" + ports(d.ports());
  }

  private static String ports(PortRange p) {
    if (p.equals(PortRange.ANY)) {
      return "*";
    }
    return p.first() == p.last() ? Integer.toString(p.first()) : p.first() + "-" + p.last();
  }
}
