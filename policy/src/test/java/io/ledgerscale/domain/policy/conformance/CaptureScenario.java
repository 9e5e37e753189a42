// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.conformance;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * One captured scenario: the policy sent to Tailscale, the tailnet it ran on, and what Tailscale
 * answered.
 */
record CaptureScenario(
    String id,
    String folder,
    String policy,
    boolean refused,
    String refusalMessage,
    TailnetSnapshot tailnet,
    Map<String, Long> nodeIds,
    Map<String, List<IpPrefix>> expectedApprovedRoutes,
    Map<String, JsonNode> expectedFilters,
    Map<String, List<String>> expectedPeers,
    Map<String, JsonNode> expectedSsh,
    Map<String, JsonNode> expectedCaps,
    Map<String, Map<String, JsonNode>> expectedPeerDetails) {

  /**
   * Capabilities every node of Tailscale's hosted tailnet gets whatever the policy says (roles,
   * tailnet features, client defaults): not the policy's doing, so not compared.
   */
  static final java.util.Set<String> TAILNET_DEFAULT_CAPS =
      java.util.Set.of(
          "https://tailscale.com/cap/file-sharing",
          "https://tailscale.com/cap/is-admin",
          "https://tailscale.com/cap/is-owner",
          "https://tailscale.com/cap/ssh",
          "https://tailscale.com/cap/tailnet-lock",
          "probe-udp-lifetime",
          "ssh-behavior-v1",
          "ssh-env-vars",
          "store-appc-routes",
          "tailnet-display-name",
          "default-auto-update");

  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  /**
   * The capture tailnet's settings, as a Ledgerscale operator would write them: it is owned by the
   * user the capture names ({@code "tailnet": "odin@example.com"}), its one domain is the owner's,
   * and every user is an admin there (nodeattrs-target-a10 shows autogroup:admin on every user's
   * nodes).
   */
  static TailnetSettings settings(String owner, List<TailnetUser> users) {
    int at = owner.lastIndexOf('@');
    List<String> domains = at < 0 ? List.of() : List.of(owner.substring(at + 1));
    List<String> admins = new ArrayList<>();
    for (TailnetUser u : users) {
      if (u.email() != null && !u.email().isEmpty()) {
        admins.add(u.email());
      }
    }
    return new TailnetSettings(domains, owner, admins);
  }

  static CaptureScenario read(Path file) throws IOException {
    JsonNode root = JSON.readTree(text(file));
    JsonNode input = root.path("input");
    JsonNode fp = input.path("full_policy");
    String policy = fp.isTextual() ? fp.asText() : JSON.writeValueAsString(fp);
    boolean refused = root.path("error").asBoolean(false);
    String message = input.path("api_response_body").path("message").asText("");

    List<TailnetUser> users = new ArrayList<>();
    Map<String, Long> userIds = new HashMap<>();
    for (JsonNode u : root.path("topology").path("users")) {
      users.add(
          new TailnetUser(
              u.path("id").asLong(), u.path("name").asText(), u.path("email").asText(null)));
      userIds.put(u.path("name").asText(), u.path("id").asLong());
    }
    List<TailnetNode> nodes = new ArrayList<>();
    Map<String, Long> nodeIds = new LinkedHashMap<>();
    Map<String, List<IpPrefix>> approved = new LinkedHashMap<>();
    long next = 1;
    for (Map.Entry<String, JsonNode> e : inJoinOrder(root)) {
      JsonNode n = e.getValue();
      LinkedHashSet<String> tags = new LinkedHashSet<>();
      n.path("tags").forEach(t -> tags.add(t.asText()));
      String user = n.path("user").asText(null);
      IpAddress v4 = addr(n.path("ipv4"));
      IpAddress v6 = addr(n.path("ipv6"));
      List<IpPrefix> approvedRoutes =
          approvedRoutes(
              root.path("captures").path(e.getKey()).path("netmap"),
              v4,
              v6,
              n.path("approved_routes"));
      nodes.add(
          new TailnetNode(
              next,
              e.getKey(),
              v4,
              v6,
              user == null ? null : userIds.get(user),
              tags,
              prefixes(n.path("routable_ips")),
              approvedRoutes));
      nodeIds.put(e.getKey(), next);
      approved.put(e.getKey(), approvedRoutes);
      next++;
    }
    Map<String, JsonNode> filters = new LinkedHashMap<>();
    Map<String, List<String>> peers = new LinkedHashMap<>();
    Map<String, JsonNode> ssh = new LinkedHashMap<>();
    Map<String, JsonNode> caps = new LinkedHashMap<>();
    Map<String, Map<String, JsonNode>> peerDetails = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("captures").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      filters.put(e.getKey(), e.getValue().path("packet_filter_rules"));
      JsonNode netmap = e.getValue().path("netmap");
      if (netmap.isObject()) {
        List<String> names = new ArrayList<>();
        netmap.path("Peers").forEach(p -> names.add(p.path("Name").asText().split("\\.")[0]));
        names.sort(null);
        peers.put(e.getKey(), names);
        ssh.put(e.getKey(), netmap.path("SSHPolicy").path("rules"));
        caps.put(e.getKey(), policyCaps(netmap.path("SelfNode").path("CapMap")));
        Map<String, JsonNode> details = new java.util.TreeMap<>();
        for (JsonNode p : netmap.path("Peers")) {
          ObjectNode d = JSON.createObjectNode();
          d.set("AllowedIPs", sortedStrings(p.path("AllowedIPs")));
          d.set("PrimaryRoutes", sortedStrings(p.path("PrimaryRoutes")));
          d.set("CapMap", policyCaps(p.path("CapMap")));
          details.put(p.path("Name").asText().split("\\.")[0], d);
        }
        peerDetails.put(e.getKey(), details);
      }
    }
    String name = file.getFileName().toString().replace(".gz", "").replace(".hujson", "");
    return new CaptureScenario(
        name,
        file.getParent().getFileName().toString(),
        policy,
        refused,
        message,
        TailnetSnapshot.of(users, nodes)
            .withSettings(settings(root.path("tailnet").asText(""), users)),
        nodeIds,
        approved,
        filters,
        peers,
        ssh,
        caps,
        peerDetails);
  }

  /**
   * The topology's nodes in the order they joined the tailnet (their {@code Created} time in the
   * netmaps; nodes without one after, in topology order), so that node ids grow with registration
   * as Ledgerscale's do: Tailscale makes the router that joined first primary.
   */
  private static List<Map.Entry<String, JsonNode>> inJoinOrder(JsonNode root) {
    Map<String, String> created = new HashMap<>();
    root.path("captures")
        .forEach(
            c -> {
              JsonNode nm = c.path("netmap");
              List<JsonNode> all = new ArrayList<>();
              all.add(nm.path("SelfNode"));
              nm.path("Peers").forEach(all::add);
              for (JsonNode n : all) {
                if (n.path("Created").isTextual() && n.path("Name").isTextual()) {
                  created.putIfAbsent(
                      n.path("Name").asText().split("\\.")[0], n.path("Created").asText());
                }
              }
            });
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    root.path("topology").path("nodes").fields().forEachRemaining(out::add);
    // a stable sort: equal (absent) times keep topology order
    out.sort(
        java.util.Comparator.comparing(
            (Map.Entry<String, JsonNode> e) ->
                java.time.Instant.parse(created.getOrDefault(e.getKey(), "9999-12-31T00:00:00Z"))));
    return out;
  }

  private static String text(Path file) throws IOException {
    if (!file.getFileName().toString().endsWith(".gz")) {
      return Files.readString(file);
    }
    try (java.io.InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A CapMap without Tailscale's tailnet defaults, keys sorted; missing and empty are alike. */
  static ObjectNode policyCaps(JsonNode capMap) {
    ObjectNode out = JSON.createObjectNode();
    java.util.TreeMap<String, JsonNode> sorted = new java.util.TreeMap<>();
    capMap.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.forEach(
        (k, v) -> {
          if (!TAILNET_DEFAULT_CAPS.contains(k)) {
            out.set(k, v.isArray() && v.isEmpty() ? JSON.nullNode() : v);
          }
        });
    return out;
  }

  static ArrayNode sortedStrings(JsonNode arr) {
    List<String> l = new ArrayList<>();
    arr.forEach(x -> l.add(x.asText()));
    l.sort(null);
    ArrayNode out = JSON.createArrayNode();
    l.forEach(out::add);
    return out;
  }

  /**
   * What Tailscale had approved when it sent the netmap: the node's own AllowedIPs beyond its
   * addresses. The topology's approved_routes field lags behind in some acl captures (the netmap
   * shows the route approved), so it is only the fallback for nodes without a netmap.
   */
  private static List<IpPrefix> approvedRoutes(
      JsonNode netmap, IpAddress v4, IpAddress v6, JsonNode topologyApproved) {
    JsonNode allowed = netmap.path("SelfNode").path("AllowedIPs");
    if (!allowed.isArray()) {
      return prefixes(topologyApproved);
    }
    List<IpPrefix> out = new ArrayList<>();
    for (JsonNode a : allowed) {
      IpPrefix p = IpPrefix.parse(a.asText());
      boolean own = p.isSingleAddress() && (p.address().equals(v4) || p.address().equals(v6));
      if (!own) {
        out.add(p);
      }
    }
    return out;
  }

  private static IpAddress addr(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? IpAddress.parse(n.asText()) : null;
  }

  private static List<IpPrefix> prefixes(JsonNode arr) {
    List<IpPrefix> out = new ArrayList<>();
    arr.forEach(p -> out.add(IpPrefix.parse(p.asText())));
    return out;
  }
}
