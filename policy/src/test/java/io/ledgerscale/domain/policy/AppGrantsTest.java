// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.FilterRule;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Grants with {@code app}: capability grants in the destination nodes' packet filters. */
class AppGrantsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TailnetUser ALICE = new TailnetUser(1, "alice", "alice@example.com");
  private static final TailnetUser BOB = new TailnetUser(2, "bob", "bob@example.com");

  // 1, 2: alice's laptop and phone; 3: bob's laptop; 4: tagged server; 5: subnet router for
  // 10.1.0.0/16
  private static final TailnetSnapshot NET =
      TailnetSnapshot.of(
          List.of(ALICE, BOB),
          List.of(
              node(1, "100.64.0.1", 1L, Set.of(), List.of()),
              node(2, "100.64.0.2", 1L, Set.of(), List.of()),
              node(3, "100.64.0.3", 2L, Set.of(), List.of()),
              node(4, "100.64.0.4", 1L, Set.of("tag:server"), List.of()),
              node(5, "100.64.0.5", 1L, Set.of("tag:router"), List.of("10.1.0.0/16"))));

  private static final String NAMES =
      """
      "groups": {"group:eng": ["alice@example.com"], "group:empty": []},
      "tagOwners": {"tag:server": ["group:eng"], "tag:router": ["group:eng"]},
      """;

  private static TailnetNode node(
      long id, String v4, Long user, Set<String> tags, List<String> routes) {
    List<IpPrefix> r = routes.stream().map(IpPrefix::parse).toList();
    return new TailnetNode(
        id,
        "n" + id,
        IpAddress.parse(v4),
        new IpAddress(true, 0xfd7a115ca1e00000L, id),
        user,
        tags,
        r,
        r);
  }

  private static CompiledPolicy compile(String body) {
    return PolicyEngine.accept("{" + NAMES + body + "}", NET);
  }

  private static String json(List<FilterRule> filter) throws Exception {
    return JSON.writeValueAsString(filter);
  }

  @Test
  void canGrantCapabilitiesToTheDestinationNodes() throws Exception {
    CompiledPolicy p =
        compile(
            """
        "grants": [{"src": ["group:eng"], "dst": ["tag:server"], "ip": ["tcp:443"],
                    "app": {"example.com/cap/web": [{"role": "admin"}, {"role": "ops", "level": 2}]}}]
        """);
    assertThat(json(p.filterFor(4)))
        .isEqualTo(
            "["
                + "{\"SrcIPs\":[\"100.64.0.1\",\"100.64.0.2\",\"fd7a:115c:a1e0::1\",\"fd7a:115c:a1e0::2\"],"
                + "\"DstPorts\":[{\"IP\":\"100.64.0.4\",\"Ports\":{\"First\":443,\"Last\":443}},"
                + "{\"IP\":\"fd7a:115c:a1e0::4\",\"Ports\":{\"First\":443,\"Last\":443}}],\"IPProto\":[6]},"
                + "{\"SrcIPs\":[\"100.64.0.1\",\"100.64.0.2\",\"fd7a:115c:a1e0::1\",\"fd7a:115c:a1e0::2\"],"
                + "\"CapGrant\":[{\"Dsts\":[\"100.64.0.4/32\",\"fd7a:115c:a1e0::4/128\"],"
                + "\"CapMap\":{\"example.com/cap/web\":[{\"role\":\"admin\"},{\"role\":\"ops\",\"level\":2}]}}]}]");
    assertThat(p.filterFor(3)).isEmpty();
    // an app-only grant makes the peers visible to each other, like a network grant
    assertThat(p.peersOf(1)).contains(4L);
  }

  @Test
  void shouldGiveEachNodeOnlyItsOwnAddressesForAWildcardDestination() throws Exception {
    CompiledPolicy p =
        compile(
            """
        "grants": [{"src": ["*"], "dst": ["*"], "app": {"example.com/cap/x": [{}]}}]
        """);
    FilterRule rule = p.filterFor(3).get(0);
    assertThat(rule.dstPorts()).isEmpty();
    assertThat(rule.capGrant()).hasSize(1);
    assertThat(rule.capGrant().get(0).dsts())
        .containsExactly("100.64.0.3/32", "fd7a:115c:a1e0::3/128");
    assertThat(rule.srcIps()).contains("10.1.0.0/16", "fd7a:115c:a1e0::/48");
  }

  @Test
  void shouldGiveASubnetRouterTheRouteItServes() {
    CompiledPolicy p =
        compile(
            """
        "grants": [{"src": ["group:eng"], "dst": ["10.1.2.0/24"], "app": {"example.com/cap/x": [{}]}}]
        """);
    assertThat(p.filterFor(5).get(0).capGrant().get(0).dsts()).containsExactly("10.1.2.0/24");
    assertThat(p.filterFor(4)).isEmpty();
  }

  @Test
  void shouldSendTheCompanionCapabilityBackToTheSources() throws Exception {
    CompiledPolicy p =
        compile(
            """
        "grants": [{"src": ["group:eng"], "dst": ["tag:server"],
                    "app": {"tailscale.com/cap/drive": [{"shares": ["*"], "access": "rw"}]}}]
        """);
    // the sharer learns who may use its shares; each member device learns the server shares with it
    assertThat(p.filterFor(4)).hasSize(1);
    assertThat(json(p.filterFor(1)))
        .isEqualTo(
            "[{\"SrcIPs\":[\"100.64.0.4\",\"fd7a:115c:a1e0::4\"],"
                + "\"CapGrant\":[{\"Dsts\":[\"100.64.0.1/32\",\"fd7a:115c:a1e0::1/128\"],"
                + "\"CapMap\":{\"tailscale.com/cap/drive-sharer\":null}}]}]");
  }

  @Test
  void canGrantCapabilitiesBetweenAUsersOwnDevices() {
    CompiledPolicy p =
        compile(
            """
        "grants": [{"src": ["autogroup:member"], "dst": ["autogroup:self"], "app": {"example.com/cap/sync": [{}]}}]
        """);
    FilterRule alice = p.filterFor(1).get(0);
    assertThat(alice.srcIps())
        .containsExactly("100.64.0.1", "100.64.0.2", "fd7a:115c:a1e0::1", "fd7a:115c:a1e0::2");
    assertThat(alice.capGrant().get(0).dsts())
        .containsExactly("100.64.0.1/32", "fd7a:115c:a1e0::1/128");
    assertThat(p.filterFor(3).get(0).srcIps()).containsExactly("100.64.0.3", "fd7a:115c:a1e0::3");
    assertThat(p.filterFor(4)).isEmpty();
  }

  @Test
  void shouldGiveNoCapabilityThroughAViaRouterButLetItBeSeen() {
    CompiledPolicy p =
        compile(
            """
        "grants": [{"src": ["group:eng"], "dst": ["10.1.0.0/16"], "via": ["tag:router"],
                    "app": {"example.com/cap/x": [{}]}}]
        """);
    for (long id = 1; id <= 5; id++) {
      assertThat(p.filterFor(id)).isEmpty();
    }
    assertThat(p.peersOf(1)).containsExactly(5L);
    assertThat(p.peersOf(5)).containsExactly(1L, 2L);
  }

  @Test
  void shouldKeepAGrantFromNobodyWithoutSources() {
    CompiledPolicy p =
        compile(
            """
        "grants": [{"src": ["group:empty"], "dst": ["tag:server"], "app": {"example.com/cap/x": [{}]}},
                   {"src": [], "dst": ["tag:server"], "app": {"example.com/cap/y": [{}]}}]
        """);
    assertThat(p.filterFor(4)).hasSize(1);
    assertThat(p.filterFor(4).get(0).srcIps()).isEmpty();
    assertThat(p.filterFor(4).get(0).capGrant().get(0).capMap())
        .containsOnlyKeys("example.com/cap/x");
  }

  @Test
  void shouldFollowANodeThatJoinsTheDestination() {
    CompiledPolicy p =
        compile(
            """
        "grants": [{"src": ["group:eng"], "dst": ["tag:server"], "app": {"example.com/cap/x": [{}]}}]
        """);
    TailnetNode tagged = NET.node(3).withTags(Set.of("tag:server"));
    CompiledPolicy.Recompiled next = p.withNode(tagged);
    assertThat(next.affectedNodes()).contains(3L);
    assertThat(next.policy().filterFor(3))
        .isEqualTo(CompiledPolicy.compile(p.policy(), NET.withNode(tagged)).filterFor(3));
    assertThat(next.policy().filterFor(3).get(0).capGrant()).hasSize(1);
  }

  @Test
  void cannotUseBadCapabilityNamesOrValuesAndSaysWhere() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{\"grants\": [{\"src\": [\"*\"], \"dst\": [\"*\"],\n"
                        + "  \"app\": {\"https://tailscale.com/cap/ingress\": [{}]}}]}"))
        .isInstanceOfSatisfying(
            PolicyException.class,
            e -> {
              assertThat(e.reason())
                  .isEqualTo("capability name must have the form {domain}/{path}");
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isEqualTo(11);
            });
    assertThatThrownBy(() -> grant("\"app\": {\"no-slash\": [{}]}"))
        .hasMessageContaining("capability name must have the form {domain}/{path}");
    assertThatThrownBy(() -> grant("\"app\": {\"tailscale.com/cap/relay-target\": [{}]}"))
        .hasMessageContaining("capability name must not be in the tailscale.com domain");
    assertThatThrownBy(() -> grant("\"app\": {\"example.com/cap/x\": [\"admin\"]}"))
        .hasMessageContaining(
            "app[\"example.com/cap/x\"]: each value must be a JSON object, not string");
    assertThatThrownBy(() -> grant("\"app\": {\"example.com/cap/x\": {}}"))
        .hasMessageContaining("must be an array of JSON objects, not object");
    assertThatThrownBy(() -> grant("\"app\": {}"))
        .hasMessageContaining("ip and app can not both be empty");
  }

  @Test
  void cannotGrantCapabilitiesOnTheInternetOrToEveryoneOnTheirOwnDevices() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{\"grants\": [{\"src\": [\"*\"], \"dst\": [\"autogroup:internet\"], "
                        + "\"app\": {\"example.com/cap/x\": [{}]}}]}"))
        .hasMessageContaining("cannot use app grants with autogroup:internet");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{\"grants\": [{\"src\": [\"*\"], \"dst\": [\"autogroup:self\"], "
                        + "\"app\": {\"example.com/cap/x\": [{}]}}]}"))
        .hasMessageContaining(
            "autogroup:self can only be used with users, groups, or supported autogroups");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{\"grants\": [{\"src\": [\"*\"], \"dst\": [\"0.0.0.0/0\"], "
                        + "\"app\": {\"example.com/cap/x\": [{}]}}]}"))
        .hasMessageContaining(
            "dst \"0.0.0.0/0\": to allow all IP addresses, use \"*\" or \"autogroup:internet\"");
  }

  @Test
  void shouldKeepCapabilityValuesAsWritten() {
    Policy p =
        Policy.parse(
            "{\"grants\": [{\"src\": [\"*\"], \"dst\": [\"*\"], "
                + "\"app\": {\"example.com/cap/x\": [{\"n\": 42, \"big\": 12345678901, \"f\": 1.5, \"ok\": true, \"l\": [1, \"a\"], "
                + "\"none\": null}]}}]}");
    JsonNode v = p.rules().get(0).capMap().get("example.com/cap/x").get(0);
    assertThat(v.toString())
        .isEqualTo(
            "{\"n\":42,\"big\":12345678901,\"f\":1.5,\"ok\":true,\"l\":[1,\"a\"],\"none\":null}");
  }

  private static Policy grant(String app) {
    return Policy.parse("{\"grants\": [{\"src\": [\"*\"], \"dst\": [\"*\"], " + app + "}]}");
  }
}
