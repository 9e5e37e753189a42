// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerscale.domain.policy.PolicyException;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.PeerRoutes;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.compile.PrimaryRoutes;
import io.ledgerscale.domain.policy.compile.RouteApproval;
import io.ledgerscale.domain.policy.compile.SshPolicy;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.UserNaming;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Applies a captured scenario to the engine and lists every difference from what Tailscale did,
 * each prefixed with its aspect in brackets: {@code [refusal]} (refusal or acceptance, and the
 * refusal text), {@code [filter]} (each node's packet filter compared as JSON), {@code [peers]}
 * (netmap Peers), {@code [ssh]} (each node's SSH policy), {@code [caps]} (the node's own
 * capabilities from the policy), {@code [peer-routes]} and {@code [peer-caps]} (each peer's
 * AllowedIPs, PrimaryRoutes and CapMap as the viewer sees them) and {@code [approval]} (whether
 * autoApprovers alone reach the routes Tailscale had approved).
 */
final class ConformanceCheck {
  private ConformanceCheck() {}

  static List<String> differences(CaptureScenario s) {
    List<String> diffs = new ArrayList<>();
    CompiledPolicy compiled;
    try {
      compiled = PolicyEngine.accept(s.policy(), s.tailnet());
    } catch (PolicyException e) {
      if (!s.refused()) {
        diffs.add("[refusal] " + "refused a policy Tailscale accepted: " + e.getMessage());
      } else if (!s.refusalMessage().isEmpty() && !e.getMessage().contains(s.refusalMessage())) {
        diffs.add(
            "[refusal] refusal text differs: want \""
                + s.refusalMessage()
                + "\", got \""
                + e.getMessage()
                + "\"");
      }
      return diffs;
    }
    if (s.refused()) {
      diffs.add(
          "[refusal] " + "accepted a policy Tailscale refused with \"" + s.refusalMessage() + "\"");
      return diffs;
    }
    for (Map.Entry<String, JsonNode> e : s.expectedFilters().entrySet()) {
      Long id = s.nodeIds().get(e.getKey());
      if (id == null) {
        diffs.add("[filter] " + e.getKey() + ": captured node missing from topology");
        continue;
      }
      JsonNode want = normalize(e.getValue());
      JsonNode got = normalize(CaptureScenario.JSON.valueToTree(compiled.filterFor(id)));
      if (!want.equals(got)) {
        diffs.add(
            "[filter] "
                + e.getKey()
                + ": packet filter differs\n    want "
                + want
                + "\n    got  "
                + got);
      }
    }
    {
      Map<Long, String> names = new java.util.HashMap<>();
      s.nodeIds().forEach((k, v) -> names.put(v, k));
      for (Map.Entry<String, List<String>> e : s.expectedPeers().entrySet()) {
        List<String> got =
            compiled.peersOf(s.nodeIds().get(e.getKey())).stream()
                .map(names::get)
                .sorted()
                .toList();
        if (!got.equals(e.getValue())) {
          diffs.add(
              "[peers] " + e.getKey() + ": peers differ: want " + e.getValue() + ", got " + got);
        }
      }
    }
    compareSsh(s, compiled, diffs);
    compareCaps(s, compiled, diffs);
    comparePeerDetails(s, compiled, diffs);
    {
      // approval is state; the check is that autoApprovers alone, from nothing approved, reach
      // Tailscale's state
      for (Map.Entry<String, List<IpPrefix>> e : s.expectedApprovedRoutes().entrySet()) {
        TailnetNode node = s.tailnet().node(s.nodeIds().get(e.getKey()));
        TailnetNode unapproved = node.withRoutes(node.advertisedRoutes(), List.of());
        List<String> want = sorted(e.getValue());
        List<String> got =
            sorted(
                RouteApproval.autoApproved(
                    compiled.policy(),
                    unapproved,
                    s.tailnet().user(node.owningUserId()),
                    UserNaming.over(() -> s.tailnet().users())));
        if (!want.equals(got)) {
          diffs.add(
              "[approval] "
                  + e.getKey()
                  + ": auto-approved routes differ: want "
                  + want
                  + ", got "
                  + got);
        }
      }
    }
    return diffs;
  }

  /** Each captured node's SSH policy, rule by rule (order significant); none and empty alike. */
  private static void compareSsh(CaptureScenario s, CompiledPolicy compiled, List<String> diffs) {
    for (Map.Entry<String, JsonNode> e : s.expectedSsh().entrySet()) {
      JsonNode want = normalizeSsh(e.getValue());
      SshPolicy ours = compiled.sshPolicyFor(s.nodeIds().get(e.getKey()));
      ours = ours == null ? null : ours.withCheckUrl(check -> CHECK_URL_BASE);
      JsonNode got =
          normalizeSsh(ours == null ? null : CaptureScenario.JSON.valueToTree(ours).path("rules"));
      if (!want.equals(got)) {
        diffs.add(
            "[ssh] " + e.getKey() + ": SSH policy differs\n    want " + want + "\n    got  " + got);
      }
    }
  }

  /** The node's own capabilities that come from the policy. */
  private static void compareCaps(CaptureScenario s, CompiledPolicy compiled, List<String> diffs) {
    for (Map.Entry<String, JsonNode> e : s.expectedCaps().entrySet()) {
      JsonNode got =
          CaptureScenario.policyCaps(
              CaptureScenario.JSON.valueToTree(
                  compiled.nodeCapabilities(s.nodeIds().get(e.getKey()))));
      if (!e.getValue().equals(got)) {
        diffs.add(
            "[caps] "
                + e.getKey()
                + ": capabilities differ: want "
                + e.getValue()
                + ", got "
                + got);
      }
    }
  }

  /**
   * Each peer as the viewer sees it: AllowedIPs (addresses and the routes it serves), primary
   * routes and the capabilities peers are shown, from the same {@link CompiledPolicy#routesShown}
   * and {@link PrimaryRoutes} the gateway's map builds peers with.
   */
  private static void comparePeerDetails(
      CaptureScenario s, CompiledPolicy compiled, List<String> diffs) {
    // every captured node was online; ids follow the order the nodes joined (see CaptureScenario)
    PrimaryRoutes primaries =
        PrimaryRoutes.elect(compiled.servedRoutesByNode(), id -> true, PrimaryRoutes.NONE);
    for (Map.Entry<String, Map<String, JsonNode>> e : s.expectedPeerDetails().entrySet()) {
      for (Map.Entry<String, JsonNode> p : e.getValue().entrySet()) {
        Long peerId = s.nodeIds().get(p.getKey());
        if (peerId == null) {
          continue;
        }
        TailnetNode peer = s.tailnet().node(peerId);
        List<String> allowed = new ArrayList<>();
        long viewerId = s.nodeIds().get(e.getKey());
        for (var a : peer.addresses()) {
          if (a.v6() || compiled.showsIpv4(viewerId, peerId)) {
            allowed.add(a + (a.v6() ? "/128" : "/32"));
          }
        }
        List<String> primary = new ArrayList<>();
        PeerRoutes shown = compiled.routesShown(viewerId, peerId, primaries);
        for (IpPrefix r : shown.allowed()) {
          if (!allowed.contains(r.toString())) {
            allowed.add(r.toString());
          }
        }
        shown.primary().forEach(r -> primary.add(r.toString()));
        ObjectNode routes = CaptureScenario.JSON.createObjectNode();
        routes.set(
            "AllowedIPs", CaptureScenario.sortedStrings(CaptureScenario.JSON.valueToTree(allowed)));
        routes.set(
            "PrimaryRoutes",
            CaptureScenario.sortedStrings(CaptureScenario.JSON.valueToTree(primary)));
        ObjectNode want = p.getValue().deepCopy();
        JsonNode wantCaps = want.remove("CapMap");
        if (!want.equals(routes)) {
          diffs.add(
              "[peer-routes] "
                  + e.getKey()
                  + ": peer "
                  + p.getKey()
                  + " routes differ: want "
                  + want
                  + ", got "
                  + routes);
        }
        JsonNode gotCaps =
            CaptureScenario.policyCaps(
                CaptureScenario.JSON.valueToTree(compiled.peerCapabilities(peerId)));
        if (!wantCaps.equals(gotCaps)) {
          diffs.add(
              "[peer-caps] "
                  + e.getKey()
                  + ": peer "
                  + p.getKey()
                  + " capabilities differ: want "
                  + wantCaps
                  + ", got "
                  + gotCaps);
        }
      }
    }
  }

  /** Where the server's check URL would start; the captures' own host is not ours to match. */
  private static final String CHECK_URL_BASE = "https://unused";

  /**
   * SSH rules as compared: principals as a set (duplicates dropped), the check URL reduced to its
   * presence (it names the control server), everything else as sent.
   */
  static JsonNode normalizeSsh(JsonNode rules) {
    ArrayNode out = CaptureScenario.JSON.createArrayNode();
    if (rules == null || !rules.isArray()) {
      return out;
    }
    for (JsonNode r : rules) {
      ObjectNode o = ((ObjectNode) r).deepCopy();
      // a set for the client; Tailscale sometimes names a node twice
      java.util.TreeSet<String> principals = new java.util.TreeSet<>();
      r.path("principals").forEach(p -> principals.add(p.toString()));
      ArrayNode pn = o.putArray("principals");
      principals.forEach(pn::add);
      if (o.path("action").has("holdAndDelegate")) {
        ((ObjectNode) o.get("action")).put("holdAndDelegate", "<check URL>");
      }
      if (o.path("acceptEnv").isArray() && o.path("acceptEnv").isEmpty()) {
        o.remove("acceptEnv");
      }
      out.add(o);
    }
    return out;
  }

  private static List<String> sorted(List<IpPrefix> prefixes) {
    return prefixes.stream().map(IpPrefix::toString).sorted().toList();
  }

  /**
   * Rule order is kept (it is significant); inside a rule, sources, destinations and protocols are
   * sets for the client, so they are sorted, as Headscale's own conformance test does. Missing and
   * empty fields are equal.
   */
  static JsonNode normalize(JsonNode rules) {
    ArrayNode out = CaptureScenario.JSON.createArrayNode();
    if (rules == null || !rules.isArray()) {
      return out;
    }
    for (JsonNode r : rules) {
      ObjectNode o = CaptureScenario.JSON.createObjectNode();
      List<String> src = new ArrayList<>();
      r.path("SrcIPs").forEach(x -> src.add(x.asText()));
      src.sort(Comparator.naturalOrder());
      ArrayNode srcNode = o.putArray("SrcIPs");
      src.forEach(srcNode::add);
      List<JsonNode> dst = new ArrayList<>();
      r.path("DstPorts").forEach(dst::add);
      dst.sort(
          Comparator.comparing((JsonNode d) -> d.path("IP").asText())
              .thenComparingInt(d -> d.path("Ports").path("First").asInt())
              .thenComparingInt(d -> d.path("Ports").path("Last").asInt()));
      ArrayNode dstNode = o.putArray("DstPorts");
      for (JsonNode d : dst) {
        ObjectNode dn = dstNode.addObject();
        dn.put("IP", d.path("IP").asText());
        dn.putObject("Ports")
            .put("First", d.path("Ports").path("First").asInt())
            .put("Last", d.path("Ports").path("Last").asInt());
      }
      List<Integer> proto = new ArrayList<>();
      r.path("IPProto").forEach(x -> proto.add(x.asInt()));
      proto.sort(Comparator.naturalOrder());
      ArrayNode pn = o.putArray("IPProto");
      proto.forEach(pn::add);
      if (r.has("CapGrant")) {
        o.set("CapGrant", r.get("CapGrant"));
      }
      out.add(o);
    }
    return out;
  }
}
