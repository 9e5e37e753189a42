// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.AutoGroupKind;
import io.ledgerscale.domain.policy.Destination;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.net.IpRange;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Who is shown one subnet route of one router, as Tailscale decides it (derived from the captures):
 * a viewer sees the route when traffic may flow between the viewer and the route in either
 * direction (the viewer, by address or by a route it serves, is a source of a rule the router
 * receives for the route; or the route is a source of a rule the viewer receives), or when the
 * viewer serves the very route itself (the other routers of an HA pair). WireGuard's AllowedIPs
 * filter what comes in as well as what goes out, so a route only sending to the viewer must be
 * there too. A {@code via} grant through the router shows the route to the grant's sources even
 * when another router is primary for it.
 */
final class RouteReach {
  private final List<CompiledRule> toRoute = new ArrayList<>();
  private final List<CompiledRule> fromRoute = new ArrayList<>();
  private final List<CompiledRule> via = new ArrayList<>();
  private final IpPrefix route;
  private boolean fromRouteToEveryone;

  private RouteReach(IpPrefix route) {
    this.route = route;
  }

  static RouteReach of(
      long routerId,
      IpPrefix route,
      List<CompiledRule> rules,
      BitSet routerRules,
      TailnetIndex idx) {
    RouteReach out = new RouteReach(route);
    IpRange range = route.range();
    for (int i = routerRules.nextSetBit(0); i >= 0; i = routerRules.nextSetBit(i + 1)) {
      CompiledRule r = rules.get(i);
      if (!r.rule.via().isEmpty()) {
        if (r.dstByNode.containsKey(routerId) && viaReaches(r, range, idx)) {
          out.via.add(r);
        }
      } else if (reachesRoute(r, routerId, range)) {
        out.toRoute.add(r);
      }
    }
    for (CompiledRule r : rules) {
      if (r.srcEverything || r.srcSet.overlaps(range)) {
        out.fromRoute.add(r);
        out.fromRouteToEveryone |= !r.wildcardDsts.isEmpty();
      }
    }
    return out;
  }

  /** Is the route shown to the viewer on its primary router? */
  boolean shows(long viewerId, TailnetIndex idx) {
    if (showsThroughVia(viewerId) || fromRouteToEveryone) {
      return true;
    }
    for (CompiledRule r : toRoute) {
      if (r.srcNodes.contains(viewerId)) {
        return true;
      }
    }
    for (CompiledRule r : fromRoute) {
      if (r.dstByNode.containsKey(viewerId)) {
        return true;
      }
    }
    return idx.served(viewerId).contains(route);
  }

  /** Is the route shown to the viewer on a router that is not primary for it? */
  boolean showsThroughVia(long viewerId) {
    for (CompiledRule r : via) {
      if (r.srcNodes.contains(viewerId)) {
        return true;
      }
    }
    return false;
  }

  private static boolean reachesRoute(CompiledRule r, long routerId, IpRange range) {
    if (!r.wildcardDsts.isEmpty()) {
      return true;
    }
    for (NetPortRange d : r.dstByNode.getOrDefault(routerId, List.of())) {
      if ("*".equals(d.ip()) || IpRange.parse(d.ip()).overlaps(range)) {
        return true;
      }
    }
    for (CapGrant g : r.capByNode.getOrDefault(routerId, List.of())) {
      for (String d : g.dsts()) {
        if ("*".equals(d) || IpRange.parse(d).overlaps(range)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean viaReaches(CompiledRule r, IpRange range, TailnetIndex idx) {
    for (Destination d : r.rule.destinations()) {
      IpPrefix p = idx.prefixOf(d.alias());
      if (p != null && p.range().overlaps(range)) {
        return true;
      }
      if (d.alias() instanceof Alias.AutoGroup ag
          && ag.kind() == AutoGroupKind.INTERNET
          && range.asPrefix() != null
          && range.asPrefix().isDefaultRoute()) {
        return true;
      }
    }
    return false;
  }
}
