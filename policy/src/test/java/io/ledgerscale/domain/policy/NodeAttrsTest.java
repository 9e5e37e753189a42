// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code nodeAttrs} and {@code randomizeClientPort}: the capabilities each node finds in its own
 * CapMap.
 */
class NodeAttrsTest {
  private static final TailnetUser ALICE = new TailnetUser(1, "alice", "alice@example.com");
  private static final TailnetUser BOB = new TailnetUser(2, "bob", "bob@example.com");

  // 1: alice's laptop; 2: bob's laptop; 3: tagged server; 4: exit node (approved); 5: exit node
  // (not approved)
  private static final TailnetSnapshot NET =
      TailnetSnapshot.of(
          List.of(ALICE, BOB),
          List.of(
              node(1, "100.64.0.1", 1L, Set.of(), List.of(), List.of()),
              node(2, "100.64.0.2", 2L, Set.of(), List.of(), List.of()),
              node(3, "100.64.0.3", 1L, Set.of("tag:server"), List.of(), List.of()),
              node(
                  4,
                  "100.64.0.4",
                  1L,
                  Set.of("tag:exit"),
                  List.of("0.0.0.0/0", "::/0"),
                  List.of("0.0.0.0/0", "::/0")),
              node(
                  5,
                  "100.64.0.5",
                  1L,
                  Set.of("tag:exit"),
                  List.of("0.0.0.0/0", "::/0"),
                  List.of())));

  private static final String NAMES =
      """
      "groups": {"group:eng": ["bob@example.com"]},
      "hosts": {"srv": "100.64.0.3"},
      "tagOwners": {"tag:server": ["alice@example.com"], "tag:exit": ["alice@example.com"]},
      """;

  private static TailnetNode node(
      long id, String v4, Long user, Set<String> tags, List<String> adv, List<String> ok) {
    return new TailnetNode(
        id,
        "n" + id,
        IpAddress.parse(v4),
        new IpAddress(true, 0xfd7a115ca1e00000L, id),
        user,
        tags,
        adv.stream().map(IpPrefix::parse).toList(),
        ok.stream().map(IpPrefix::parse).toList());
  }

  private static CompiledPolicy compile(String body) {
    return PolicyEngine.accept("{" + NAMES + body + "}", NET);
  }

  @Test
  void shouldGiveTargetedNodesTheirAttributesWithoutValues() {
    CompiledPolicy p =
        compile(
            """
        "nodeAttrs": [
          {"target": ["tag:server"], "attr": ["drive:share", "drive:access"]},
          {"target": ["group:eng", "srv"], "attr": ["nextdns:abc123"]},
          {"target": ["autogroup:member"], "attr": ["magicdns-aaaa"]},
        ]
        """);
    assertThat(p.nodeCapabilities(3))
        .containsOnlyKeys("drive:share", "drive:access", "nextdns:abc123");
    assertThat(p.nodeCapabilities(3).get("drive:share")).isNull();
    assertThat(p.nodeCapabilities(2)).containsOnlyKeys("nextdns:abc123", "magicdns-aaaa");
    assertThat(p.nodeCapabilities(1)).containsOnlyKeys("magicdns-aaaa");
    assertThat(p.nodeCapabilities(99)).isEmpty();
  }

  @Test
  void shouldMergeCapabilityValuesFromEveryEntryInPolicyOrder() {
    CompiledPolicy p =
        compile(
            """
        "nodeAttrs": [
          {"target": ["*"], "app": {"example.com/cap/conf": [{"a": 1}]}},
          {"target": ["100.64.0.1"], "attr": ["example.com/cap/conf"], "app": {"example.com/cap/conf": [{"b": 2}]}},
        ]
        """);
    List<JsonNode> values = p.nodeCapabilities(1).get("example.com/cap/conf");
    assertThat(values).extracting(JsonNode::toString).containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThat(p.nodeCapabilities(2).get("example.com/cap/conf"))
        .extracting(JsonNode::toString)
        .containsExactly("{\"a\":1}");
  }

  @Test
  void shouldRandomizeEveryClientPortWhenThePolicySaysSo() {
    CompiledPolicy p = compile("\"randomizeClientPort\": true");
    for (long id = 1; id <= 5; id++) {
      assertThat(p.nodeCapabilities(id)).containsOnlyKeys("randomize-client-port");
    }
    assertThat(compile("\"randomizeClientPort\": false").nodeCapabilities(1)).isEmpty();
  }

  @Test
  void shouldOpenFunnelOnTailscalesDefaultPorts() {
    Map<String, List<JsonNode>> caps =
        compile("\"nodeAttrs\": [{\"target\": [\"tag:server\"], \"attr\": [\"funnel\"]}]")
            .nodeCapabilities(3);
    assertThat(caps)
        .containsOnlyKeys(
            "funnel",
            "https://tailscale.com/cap/funnel-ports?ports=443,8443,10000",
            "https://tailscale.com/cap/warn-funnel-no-https");
  }

  @Test
  void shouldShowPeersOnlyTheExitNodeSuggestion() {
    CompiledPolicy p =
        compile(
            """
        "nodeAttrs": [{"target": ["tag:exit", "tag:server"], "attr": ["suggest-exit-node", "funnel"]}]
        """);
    assertThat(p.peerCapabilities(4)).containsOnlyKeys("suggest-exit-node");
    // an exit node whose routes are not approved is not offered, nor is a node that is no exit node
    assertThat(p.peerCapabilities(5)).isEmpty();
    assertThat(p.peerCapabilities(3)).isEmpty();
    assertThat(p.nodeCapabilities(4)).containsKey("suggest-exit-node");
  }

  @Test
  void cannotTargetWhatIsNotANodeAndSaysWhere() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{\n\"nodeAttrs\": [\n  {\"target\": [\"autogroup:self\"], \"attr\": [\"x\"]}]}"))
        .isInstanceOfSatisfying(
            PolicyException.class,
            e -> {
              assertThat(e.reason())
                  .isEqualTo("nodeAttrs: \"autogroup:self\" is not a valid target");
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.column()).isEqualTo(15);
            });
    assertThatThrownBy(
            () ->
                Policy.parse("{\"nodeAttrs\": [{\"target\": [\"tag:nope\"], \"attr\": [\"x\"]}]}"))
        .hasMessageContaining("target=tag not found: \"tag:nope\"");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{\"nodeAttrs\": [{\"target\": [\"10.0.0.300\"], \"attr\": [\"x\"]}]}"))
        .hasMessageContaining("invalid IP address or CIDR \"10.0.0.300\"");
    assertThatThrownBy(() -> Policy.parse("{\"nodeAttrs\": [{\"attr\": [\"x\"]}]}"))
        .hasMessageContaining("nodeAttrs: \"target\" is required");
  }

  @Test
  void cannotGiveEmptyAttributesOrNonObjectValues() {
    assertThatThrownBy(
            () -> Policy.parse("{\"nodeAttrs\": [{\"target\": [\"*\"], \"attr\": [\"\"]}]}"))
        .hasMessageContaining("nodeAttrs: attr must not be empty");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{\"nodeAttrs\": [{\"target\": [\"*\"], \"app\": {\"example.com/c\": [1]}}]}"))
        .hasMessageContaining(
            "nodeAttrs.app[\"example.com/c\"]: each value must be a JSON object, not number");
    assertThatThrownBy(() -> Policy.parse("{\"randomizeClientPort\": \"yes\"}"))
        .hasMessageContaining("randomizeClientPort must be a boolean");
  }
}
