// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.policy.compile.PrimaryRoutes;
import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The primary router of each subnet route, elected once per tailnet state: every view built from
 * one state shares the result.
 */
final class RouteElection {
  private record Election(
      Object policy,
      Map<Long, NodeView> nodes,
      Map<Long, NodeConnectivity> connectivity,
      Set<Long> streaming,
      PrimaryRoutes primaries,
      Set<Long> routers) {

    /** Made from this very state of the tailnet (its parts are immutable, so identity will do). */
    boolean heldFor(MapSnapshot t) {
      return policy == t.policy()
          && nodes == t.nodes()
          && connectivity == t.connectivity()
          && streaming == t.streaming();
    }
  }

  private volatile Election election;

  /**
   * The primaries for this state of the tailnet. Every view built from one state shares the result;
   * the previous election is kept where its primary is still online, so a router that returns does
   * not take its routes back (no flapping), and views never disagree.
   */
  PrimaryRoutes primaries(MapSnapshot t) {
    return elected(t).primaries();
  }

  /** The nodes that serve routes in this state of the tailnet. */
  Set<Long> routers(MapSnapshot t) {
    return elected(t).routers();
  }

  private Election elected(MapSnapshot t) {
    Election e = election;
    if (e != null && e.heldFor(t)) {
      return e;
    }
    synchronized (this) {
      e = election;
      if (e != null && e.heldFor(t)) {
        return e;
      }
      Map<Long, List<IpPrefix>> served;
      if (t.policy() != null) {
        served = t.policy().servedRoutesByNode();
      } else {
        served = new HashMap<>();
        for (NodeView v : t.nodes().values()) {
          if (v.approvedRoutes() != null && !v.approvedRoutes().isEmpty()) {
            served.put(
                v.id(), NodeEntries.servedRoutes(v, t).stream().map(IpPrefix::parse).toList());
          }
        }
      }
      PrimaryRoutes elected =
          PrimaryRoutes.elect(served, t::online, e == null ? null : e.primaries());
      e =
          new Election(
              t.policy(),
              t.nodes(),
              t.connectivity(),
              t.streaming(),
              elected,
              Set.copyOf(served.keySet()));
      election = e;
      return e;
    }
  }
}
