// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ledgerscale.domain.api.connectivity.ConnectivityReport;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client reports about itself in its map requests (endpoints, disco key, home DERP,
 * Hostinfo), as a connectivity report, compared, and passed on to the domain where it records it.
 */
final class ReportedConnectivity {
  private static final Logger log = LoggerFactory.getLogger(ReportedConnectivity.class);

  private ReportedConnectivity() {}

  static boolean sameRoutes(NodeConnectivity a, NodeConnectivity b) {
    return java.util.Objects.equals(routableIps(a), routableIps(b));
  }

  static boolean reportsSomething(MapRequest r) {
    return r.endpoints() != null
        || (r.hostinfo() != null && r.hostinfo().isObject())
        || ConnectivityReport.known(r.discoKey()) != null;
  }

  static ConnectivityReport report(long nodeId, MapRequest r, String instanceId, Instant now) {
    String hostinfo = null;
    Integer homeDerp = null;
    if (r.hostinfo() != null && r.hostinfo().isObject()) {
      try {
        hostinfo = TailcfgJson.MAPPER.writeValueAsString(r.hostinfo());
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("unreadable Hostinfo", e);
      }
      int preferred = r.hostinfo().path("NetInfo").path("PreferredDERP").asInt(0);
      if (preferred > 0) {
        homeDerp = preferred;
      }
    }
    return new ConnectivityReport(
        nodeId, r.endpoints(), r.discoKey(), homeDerp, hostinfo, instanceId, now);
  }

  /**
   * Passes on what the node's report changed that the domain records: its advertised routes, and a
   * hostname other than its view's (once per change of the report, so a refused one is not sent
   * with every request).
   */
  static void tell(
      ClientReports clientReports,
      long nodeId,
      NodeConnectivity before,
      NodeConnectivity after,
      NodeView view) {
    if (clientReports == null
        || (before != null && after != null && sameHostinfo(before.hostinfo(), after.hostinfo()))) {
      // most reports only move endpoints: nothing a client reports about itself changed
      return;
    }
    List<String> was = routableIps(before);
    List<String> now = routableIps(after);
    if (now != null && !now.equals(was) && !(was == null && recordedAlready(view, now))) {
      try {
        clientReports.advertisedRoutes(nodeId, now);
      } catch (RuntimeException e) {
        log.warn("advertised routes of node {} not passed on: {}", nodeId, e.getMessage());
      }
    }
    String hostname = ReportedHostname.of(after);
    if (hostname != null
        && view != null
        && !hostname.equals(view.hostname())
        && !hostname.equals(ReportedHostname.of(before))) {
      try {
        clientReports.reportedHostname(nodeId, hostname);
      } catch (RuntimeException e) {
        log.warn("reported hostname of node {} not passed on: {}", nodeId, e.getMessage());
      }
    }
  }

  /**
   * Whether the node's view already shows these routes as advertised. Asked only of a node's first
   * report this map sees: a fleet's first connect would otherwise send a command for each node
   * (most saying "no routes", which the domain records already), each loading the node on the map's
   * one worker thread, which holds up every other stream's first map meanwhile.
   */
  private static boolean recordedAlready(NodeView view, List<String> routes) {
    return view != null
        && view.availableRoutes() != null
        && new HashSet<>(view.availableRoutes()).equals(new HashSet<>(routes));
  }

  static List<String> routableIps(NodeConnectivity c) {
    if (c == null || c.hostinfo() == null) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode routes =
          TailcfgJson.MAPPER.readTree(c.hostinfo()).path("RoutableIPs");
      List<String> out = new java.util.ArrayList<>();
      routes.forEach(r -> out.add(r.asText()));
      return out.stream().sorted().toList();
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static boolean sameReach(NodeConnectivity a, NodeConnectivity b) {
    return a != null
        && b != null
        && a.endpoints().equals(b.endpoints())
        && java.util.Objects.equals(a.discoKey(), b.discoKey())
        && java.util.Objects.equals(a.homeDerp(), b.homeDerp())
        && sameHostinfo(a.hostinfo(), b.hostinfo());
  }

  /**
   * Whether two Hostinfo texts say the same. The map holds the text this server wrote from the
   * client's report; a row read back from the store is PostgreSQL's jsonb rendering of it (keys
   * reordered, spaces added). Compared as text they differ, and every node whose row came back was
   * a change for every stream that sees it, twice: once for the row, once for its next report.
   */
  static boolean sameHostinfo(String a, String b) {
    if (java.util.Objects.equals(a, b)) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    try {
      return TailcfgJson.MAPPER.readTree(a).equals(TailcfgJson.MAPPER.readTree(b));
    } catch (JsonProcessingException e) {
      return false;
    }
  }
}
