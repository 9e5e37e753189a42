// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerscale.domain.policy.PolicyException;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.compile.RouteApproval;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.UserNaming;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Applies a captured scenario to the engine and lists every difference from what Tailscale did:
 * refusal or acceptance (and the refusal text), each node's packet filter compared as JSON, each
 * node's peers (netmap Peers), and whether autoApprovers alone reach the routes Tailscale had
 * approved.
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
        diffs.add("refused a policy Tailscale accepted: " + e.getMessage());
      } else if (!s.refusalMessage().isEmpty() && !e.getMessage().contains(s.refusalMessage())) {
        diffs.add(
            "refusal text differs: want \""
                + s.refusalMessage()
                + "\", got \""
                + e.getMessage()
                + "\"");
      }
      return diffs;
    }
    if (s.refused()) {
      diffs.add("accepted a policy Tailscale refused with \"" + s.refusalMessage() + "\"");
      return diffs;
    }
    for (Map.Entry<String, JsonNode> e : s.expectedFilters().entrySet()) {
      Long id = s.nodeIds().get(e.getKey());
      if (id == null) {
        diffs.add(e.getKey() + ": captured node missing from topology");
        continue;
      }
      JsonNode want = normalize(e.getValue());
      JsonNode got = normalize(CaptureScenario.JSON.valueToTree(compiled.filterFor(id)));
      if (!want.equals(got)) {
        diffs.add(e.getKey() + ": packet filter differs\n    want " + want + "\n    got  " + got);
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
          diffs.add(e.getKey() + ": peers differ: want " + e.getValue() + ", got " + got);
        }
      }
    }
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
          diffs.add(e.getKey() + ": auto-approved routes differ: want " + want + ", got " + got);
        }
      }
    }
    return diffs;
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
