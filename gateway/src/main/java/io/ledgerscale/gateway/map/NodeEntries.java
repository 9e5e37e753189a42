// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.policy.compile.PrimaryRoutes;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.SharedNodes;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A node as tailcfg shows it, as the viewer's own entry or as a peer, with its capabilities. */
final class NodeEntries {
  static final String CAP_ADMIN = "https://tailscale.com/cap/is-admin";

  static final String CAP_SSH = "https://tailscale.com/cap/ssh";

  static final String CAP_FILE_SHARING = "https://tailscale.com/cap/file-sharing";

  static final String CAP_AUTO_UPDATE = "default-auto-update";

  private final MapSettings settings;
  private final RouteElection election;

  NodeEntries(MapSettings settings, RouteElection election) {
    this.settings = settings;
    this.election = election;
  }

  /** The node's MagicDNS name: its given name under the base domain, with Go's trailing dot. */
  String fqdn(NodeView view) {
    String base = settings.baseDomain();
    return base.isEmpty() ? view.givenName() + "." : view.givenName() + "." + base + ".";
  }

  static boolean expired(NodeView view, Instant now) {
    return view.expiry() != null && !view.expiry().isAfter(now);
  }

  Node node(NodeView v, MapSnapshot t, Instant now, boolean self) {
    NodeConnectivity c = t.connectivity().get(v.id());
    boolean expired = expired(v, now);
    List<String> addresses = addresses(v);
    if (self && t.policy() != null && !t.policy().showsIpv4(v.id(), v.id())) {
      addresses = addresses.stream().filter(a -> a.contains(":")).toList();
    }
    List<String> allowed = new ArrayList<>(addresses);
    List<String> primary = new ArrayList<>();
    List<String> served = servedRoutes(v, t);
    // as its own node a router shows only the routes it is primary for; as a peer, each viewer is
    // shown its own selection of them (peerFor)
    PrimaryRoutes primaries = self && !served.isEmpty() ? election.primaries(t) : null;
    for (String route : served) {
      if (!allowed.contains(route)) {
        allowed.add(route);
      }
      if (!route.equals("0.0.0.0/0")
          && !route.equals("::/0")
          && (primaries == null || primaries.isPrimary(v.id(), IpPrefix.parse(route)))) {
        primary.add(route);
      }
    }
    return new Node(
        v.id(),
        Long.toString(v.id()),
        fqdn(v),
        v.userId(),
        v.nodeKey(),
        v.expiry() == null ? null : time(v.expiry()),
        v.machineKey(),
        c == null ? null : c.discoKey(),
        addresses,
        allowed,
        c == null || c.endpoints().isEmpty() ? null : c.endpoints(),
        c == null ? null : c.homeDerp(),
        hostinfo(v, c),
        v.createdAt() == null ? null : time(v.createdAt()),
        null,
        v.tags() == null || v.tags().isEmpty() ? null : v.tags(),
        primary.isEmpty() ? null : primary,
        null,
        null,
        !expired,
        self ? selfCaps(t, v.id()) : peerCaps(t, v.id()),
        expired ? Boolean.TRUE : null);
  }

  /**
   * The peer with its presence (online, last seen) as every viewer sees it: one shared instance
   * while neither changes, written once however many messages carry it.
   */
  static Node withPresence(Node p, MapSnapshot t, long id) {
    Long key = id;
    NodeConnectivity c = t.connectivity().get(key);
    return withPresence(p, t.online(key, c), c);
  }

  /** As above, with the peer's presence in {@code t} already known. */
  static Node withPresence(Node p, MapSnapshot t, long id, boolean online) {
    // an online peer has no last-seen time: its connectivity is not even looked up
    return withPresence(p, online, online ? null : t.connectivity().get(id));
  }

  private static Node withPresence(Node p, boolean online, NodeConnectivity c) {
    Instant lastSeen = online || c == null ? null : c.lastSeen();
    return SharedNodes.withPresence(p, lastSeen, online, NodeEntries::time);
  }

  private static List<String> addresses(NodeView v) {
    List<String> out = new ArrayList<>();
    for (String ip : v.ipAddresses()) {
      out.add(ip + (ip.contains(":") ? "/128" : "/32"));
    }
    return out;
  }

  static List<String> servedRoutes(NodeView v, MapSnapshot t) {
    if (t.policy() != null) {
      List<String> out = new ArrayList<>();
      for (IpPrefix p : t.policy().servedRoutes(v.id())) {
        out.add(p.toString());
      }
      return out;
    }
    // no policy, no autoApprovers: a route is served once it is both advertised and approved
    List<String> out = new ArrayList<>();
    for (String r : v.approvedRoutes() == null ? List.<String>of() : v.approvedRoutes()) {
      if (advertised(v, t).contains(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Routes the node advertises: the read model's available routes and the client's latest Hostinfo.
   */
  static Set<String> advertised(NodeView v, MapSnapshot t) {
    return advertised(v, t.connectivity().get(v.id()));
  }

  static Set<String> advertised(NodeView v, NodeConnectivity c) {
    Set<String> out =
        new LinkedHashSet<>(v.availableRoutes() == null ? List.of() : v.availableRoutes());
    JsonNode hostinfo = parse(c);
    if (hostinfo != null && hostinfo.path("RoutableIPs").isArray()) {
      hostinfo.path("RoutableIPs").forEach(r -> out.add(r.asText()));
    }
    return out;
  }

  private static JsonNode hostinfo(NodeView v, NodeConnectivity c) {
    JsonNode stored = parse(c);
    if (stored != null) {
      return stored;
    }
    ObjectNode minimal = JsonNodeFactory.instance.objectNode();
    minimal.put("Hostname", v.hostname());
    return minimal;
  }

  private static JsonNode parse(NodeConnectivity c) {
    if (c == null || c.hostinfo() == null) {
      return null;
    }
    try {
      return TailcfgJson.MAPPER.readTree(c.hostinfo());
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static Map<String, List<JsonNode>> selfCaps(MapSnapshot t, long nodeId) {
    Map<String, List<JsonNode>> caps = new LinkedHashMap<>();
    if (t.policy() != null) {
      // nodeAttrs first: a capability the policy gives with values keeps them
      caps.putAll(t.policy().nodeCapabilities(nodeId));
    }
    caps.putIfAbsent(CAP_ADMIN, List.of());
    caps.putIfAbsent(CAP_FILE_SHARING, List.of());
    if (t.policy() != null && !t.policy().policy().ssh().isEmpty()) {
      caps.putIfAbsent(CAP_SSH, List.of());
    }
    // a bare JSON literal: the client compares the raw text
    caps.putIfAbsent(CAP_AUTO_UPDATE, List.of(JsonNodeFactory.instance.booleanNode(false)));
    return caps;
  }

  /**
   * What a peer shows of its policy capabilities (suggest-exit-node on exit nodes); null when
   * nothing.
   */
  private static Map<String, List<JsonNode>> peerCaps(MapSnapshot t, long nodeId) {
    Map<String, List<JsonNode>> caps =
        t.policy() == null ? Map.of() : t.policy().peerCapabilities(nodeId);
    return caps.isEmpty() ? null : caps;
  }

  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
