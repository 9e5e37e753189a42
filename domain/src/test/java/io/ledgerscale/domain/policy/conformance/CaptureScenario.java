// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.conformance;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

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
    Map<String, List<String>> expectedPeers) {

  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  static CaptureScenario read(Path file) throws IOException {
    JsonNode root = JSON.readTree(Files.readString(file));
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
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("topology").path("nodes").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
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
      }
    }
    String name = file.getFileName().toString().replace(".hujson", "");
    return new CaptureScenario(
        name,
        file.getParent().getFileName().toString(),
        policy,
        refused,
        message,
        TailnetSnapshot.of(users, nodes),
        nodeIds,
        approved,
        filters,
        peers);
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
