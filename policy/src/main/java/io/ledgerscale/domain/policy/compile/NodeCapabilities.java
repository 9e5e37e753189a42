// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.NodeAttr;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node capabilities ({@code tailcfg.NodeCapMap}) the policy gives one node: {@code nodeAttrs}
 * whose targets name it, and {@code randomize-client-port} for all when the policy sets {@code
 * randomizeClientPort}. A capability without values maps to null (Tailscale sends {@code "funnel":
 * null}); values of the same capability from several entries are concatenated in policy order.
 */
final class NodeCapabilities {
  static final String RANDOMIZE_CLIENT_PORT = "randomize-client-port";

  /**
   * The one policy attribute Tailscale also shows on the node as a peer, on exit nodes, for exit
   * suggestions.
   */
  static final String SUGGEST_EXIT_NODE = "suggest-exit-node";

  static final String FUNNEL = "funnel";
  static final String FUNNEL_PORTS = "https://tailscale.com/cap/funnel-ports?ports=443,8443,10000";
  static final String WARN_FUNNEL_NO_HTTPS = "https://tailscale.com/cap/warn-funnel-no-https";

  private NodeCapabilities() {}

  static Map<String, List<JsonNode>> forNode(Policy policy, TailnetIndex idx, long nodeId) {
    TailnetNode node = idx.node(nodeId);
    if (node == null) {
      return Map.of();
    }
    Map<String, List<JsonNode>> caps = new TreeMap<>();
    if (policy.randomizeClientPort()) {
      caps.put(RANDOMIZE_CLIENT_PORT, null);
    }
    for (NodeAttr attr : policy.nodeAttrs()) {
      if (attr.targets().stream().noneMatch(t -> names(t, node, idx))) {
        continue;
      }
      for (String a : attr.attrs()) {
        caps.putIfAbsent(a, null);
      }
      attr.app()
          .forEach(
              (cap, values) -> {
                List<JsonNode> merged =
                    caps.get(cap) == null ? new ArrayList<>() : new ArrayList<>(caps.get(cap));
                merged.addAll(values);
                caps.put(cap, Collections.unmodifiableList(merged));
              });
    }
    if (caps.containsKey(FUNNEL)) {
      // the client only opens Funnel on the ports this capability lists; Tailscale sends its
      // default ports
      caps.putIfAbsent(FUNNEL_PORTS, null);
      caps.putIfAbsent(WARN_FUNNEL_NO_HTTPS, null);
    }
    return Collections.unmodifiableMap(caps);
  }

  /**
   * What peers see of the node's capabilities: only {@code suggest-exit-node}, and only on an exit
   * node (every exit node when the policy has no {@code nodeAttrs}).
   */
  static Map<String, List<JsonNode>> asPeer(Policy policy, TailnetIndex idx, long nodeId) {
    if (!idx.isExitNode(nodeId)) {
      return Map.of();
    }
    if (policy.nodeAttrs().isEmpty()) {
      // with no nodeAttrs at all Tailscale offers every exit node for suggestion
      Map<String, List<JsonNode>> out = new TreeMap<>();
      out.put(SUGGEST_EXIT_NODE, null);
      return Collections.unmodifiableMap(out);
    }
    Map<String, List<JsonNode>> own = forNode(policy, idx, nodeId);
    if (!own.containsKey(SUGGEST_EXIT_NODE)) {
      return Map.of();
    }
    Map<String, List<JsonNode>> out = new TreeMap<>();
    out.put(SUGGEST_EXIT_NODE, own.get(SUGGEST_EXIT_NODE));
    return Collections.unmodifiableMap(out);
  }

  static boolean names(Alias target, TailnetNode node, TailnetIndex idx) {
    if (target instanceof Alias.Wildcard) {
      return true;
    }
    IpPrefix p = idx.prefixOf(target);
    if (p != null) {
      return node.addresses().stream().anyMatch(p::contains);
    }
    return idx.nodesOf(target).contains(node.id());
  }
}
