// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * Which router is primary for each subnet route several routers serve: only the primary shows the
 * route in its peers' AllowedIPs and PrimaryRoutes (exit routes are not elected; every exit node
 * shows them). Tailscale makes the router that joined first primary (in every capture the earlier
 * created one); node ids grow with registration, so here it is the lowest id. A primary stays
 * primary while it is online, whatever joins later; when it goes offline the next online router
 * (lowest id) takes over and keeps the route when the first one returns. With no router of a route
 * online, the lowest id keeps it, so a tailnet read before anyone connected shows its routes.
 */
public final class PrimaryRoutes {
  public static final PrimaryRoutes NONE = new PrimaryRoutes(Map.of(), Map.of());

  private final Map<IpPrefix, Long> primaries;

  /** Per route, its routers in order of preference: the primary, then online, then offline ones. */
  private final Map<IpPrefix, List<Long>> ranked;

  private PrimaryRoutes(Map<IpPrefix, Long> primaries, Map<IpPrefix, List<Long>> ranked) {
    this.primaries = primaries;
    this.ranked = ranked;
  }

  /**
   * Elects the primaries of {@code served} (each node's served routes), keeping {@code previous}
   * primaries that still serve their route and are online.
   */
  public static PrimaryRoutes elect(
      Map<Long, List<IpPrefix>> served, LongPredicate online, PrimaryRoutes previous) {
    Map<IpPrefix, List<Long>> candidates = new HashMap<>();
    for (Map.Entry<Long, List<IpPrefix>> e : new TreeMap<>(served).entrySet()) {
      for (IpPrefix p : e.getValue()) {
        if (!p.isDefaultRoute()) {
          candidates.computeIfAbsent(p, k -> new ArrayList<>()).add(e.getKey());
        }
      }
    }
    Map<IpPrefix, Long> out = new HashMap<>();
    Map<IpPrefix, List<Long>> ranked = new HashMap<>();
    candidates.forEach(
        (prefix, ids) -> {
          Long kept = previous == null ? null : previous.primaries.get(prefix);
          if (kept != null && ids.contains(kept) && online.test(kept)) {
            out.put(prefix, kept);
            return;
          }
          Long chosen = ids.get(0);
          for (Long id : ids) {
            if (online.test(id)) {
              chosen = id;
              break;
            }
          }
          out.put(prefix, chosen);
        });
    candidates.forEach(
        (prefix, ids) -> {
          List<Long> order = new ArrayList<>();
          order.add(out.get(prefix));
          ids.stream().filter(id -> online.test(id) && !order.contains(id)).forEach(order::add);
          ids.stream().filter(id -> !order.contains(id)).forEach(order::add);
          ranked.put(prefix, List.copyOf(order));
        });
    return new PrimaryRoutes(Collections.unmodifiableMap(out), Collections.unmodifiableMap(ranked));
  }

  /** Is the node the primary router for this route? Exit routes have no primary: always true. */
  public boolean isPrimary(long nodeId, IpPrefix route) {
    if (route.isDefaultRoute()) {
      return true;
    }
    Long p = primaries.get(route);
    return p != null && p == nodeId;
  }

  /**
   * The routers of a subnet route in order of preference (the primary first), for a viewer that
   * only reaches the route through some of them ({@code via}): it is shown the first of those.
   */
  public List<Long> ranked(IpPrefix route) {
    return ranked.getOrDefault(route, List.of());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrimaryRoutes other && primaries.equals(other.primaries);
  }

  @Override
  public int hashCode() {
    return primaries.hashCode();
  }

  @Override
  public String toString() {
    return "PrimaryRoutes" + new TreeMap<>(primaries);
  }
}
