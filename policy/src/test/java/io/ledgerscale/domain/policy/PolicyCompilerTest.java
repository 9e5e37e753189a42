// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.FilterRule;
import io.ledgerscale.domain.policy.compile.NetPortRange;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.compile.SshCheck;
import io.ledgerscale.domain.policy.compile.SshPolicy;
import io.ledgerscale.domain.policy.compile.SshRuleOut;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyCompilerTest {
  private static final TailnetUser ALICE = new TailnetUser(1, "alice", "alice@example.com");
  private static final TailnetUser BOB = new TailnetUser(2, "bob", "bob@example.com");

  // 1, 2: alice's laptop and phone; 3: bob's laptop; 4: tagged server; 5: subnet router; 6: exit
  // node
  private static final TailnetSnapshot NET =
      TailnetSnapshot.of(
          List.of(ALICE, BOB),
          List.of(
              node(1, "100.64.0.1", 1L, Set.of(), List.of(), List.of()),
              node(2, "100.64.0.2", 1L, Set.of(), List.of(), List.of()),
              node(3, "100.64.0.3", 2L, Set.of(), List.of(), List.of()),
              node(4, "100.64.0.4", 1L, Set.of("tag:server"), List.of(), List.of()),
              node(
                  5,
                  "100.64.0.5",
                  1L,
                  Set.of("tag:router"),
                  List.of("10.1.0.0/16"),
                  List.of("10.1.0.0/16")),
              node(
                  6,
                  "100.64.0.6",
                  1L,
                  Set.of("tag:exit"),
                  List.of("0.0.0.0/0", "::/0"),
                  List.of("0.0.0.0/0", "::/0"))));

  private static final String NAMES =
      """
      "groups": {"group:eng": ["alice@example.com"]},
      "hosts": {"lan": "10.1.2.0/24"},
      "tagOwners": {"tag:server": ["group:eng"], "tag:router": ["group:eng"], "tag:exit": ["group:eng"]},
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
  void shouldAllowEverythingWithoutRules() {
    CompiledPolicy p = PolicyEngine.accept("", NET);
    // as Tailscale sends its default policy: the tailnet's ranges (and approved routes) as sources
    assertThat(p.filterFor(3))
        .containsExactly(
            new FilterRule(
                List.of(
                    "10.1.0.0/16",
                    "100.115.94.0-100.127.255.255",
                    "100.64.0.0-100.115.91.255",
                    "fd7a:115c:a1e0::/48"),
                List.of(new NetPortRange("*", PortRange.ANY)),
                List.of()));
    assertThat(p.peersOf(3)).containsExactlyInAnyOrder(1L, 2L, 4L, 5L, 6L);
  }

  @Test
  void shouldDenyEverythingWithAnEmptyAclList() {
    CompiledPolicy p = compile("\"acls\": []");
    assertThat(p.filterFor(1)).isEmpty();
    assertThat(p.peersOf(1)).isEmpty();
  }

  @Test
  void shouldGiveEachDestinationOnlyItsOwnRules() {
    CompiledPolicy p =
        compile(
            "\"acls\": [{\"action\": \"accept\", \"src\": [\"group:eng\"], \"dst\": [\"tag:server:22\"]}]");
    assertThat(p.filterFor(4))
        .containsExactly(
            new FilterRule(
                List.of("100.64.0.1", "100.64.0.2", "fd7a:115c:a1e0::1", "fd7a:115c:a1e0::2"),
                List.of(
                    new NetPortRange("100.64.0.4", new PortRange(22, 22)),
                    new NetPortRange("fd7a:115c:a1e0::4", new PortRange(22, 22))),
                List.of()));
    assertThat(p.filterFor(1)).isEmpty();
    assertThat(p.filterFor(3)).isEmpty();
    assertThat(p.peersOf(4)).containsExactlyInAnyOrder(1L, 2L);
    assertThat(p.peersOf(1)).containsExactly(4L);
    assertThat(p.peersOf(3)).isEmpty();
  }

  @Test
  void shouldWidenTheWildcardSourceWithServedSubnetRoutes() {
    CompiledPolicy p =
        compile(
            "\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"tag:server:*\"], \"proto\": \"tcp\"}]");
    FilterRule r = p.filterFor(4).get(0);
    assertThat(r.srcIps())
        .containsExactly(
            "10.1.0.0/16",
            "100.115.94.0-100.127.255.255",
            "100.64.0.0-100.115.91.255",
            "fd7a:115c:a1e0::/48");
    assertThat(r.ipProto()).containsExactly(6);
  }

  @Test
  void shouldSendSubnetAndPublicDestinationsToTheirRouters() {
    CompiledPolicy p =
        compile(
            """
        "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["lan:443", "8.8.8.0/24:53"]}]
        """);
    assertThat(p.filterFor(5).get(0).dstPorts())
        .containsExactly(new NetPortRange("10.1.2.0/24", new PortRange(443, 443)));
    assertThat(p.filterFor(6).get(0).dstPorts())
        .containsExactly(new NetPortRange("8.8.8.0/24", new PortRange(53, 53)));
    assertThat(p.filterFor(4)).isEmpty();
  }

  @Test
  void shouldLimitAutogroupSelfToTheSameUsersDevices() {
    CompiledPolicy p =
        compile(
            "\"acls\": [{\"action\": \"accept\", \"src\": [\"autogroup:member\"], \"dst\": [\"autogroup:self:*\"]}]");
    assertThat(p.filterFor(1))
        .containsExactly(
            new FilterRule(
                List.of("100.64.0.1", "100.64.0.2", "fd7a:115c:a1e0::1", "fd7a:115c:a1e0::2"),
                List.of(
                    new NetPortRange("100.64.0.1", PortRange.ANY),
                    new NetPortRange("fd7a:115c:a1e0::1", PortRange.ANY)),
                List.of()));
    assertThat(p.filterFor(3).get(0).srcIps()).containsExactly("100.64.0.3", "fd7a:115c:a1e0::3");
    assertThat(p.filterFor(4)).as("tagged nodes have no self").isEmpty();
    assertThat(p.peersOf(1)).containsExactly(2L);
  }

  @Test
  void shouldMergeRulesWithTheSameSourcesAndProtocols() {
    CompiledPolicy p =
        compile(
            """
        "acls": [
          {"action": "accept", "src": ["group:eng"], "dst": ["tag:server:22"]},
          {"action": "accept", "src": ["bob@example.com"], "dst": ["tag:server:80"]},
          {"action": "accept", "src": ["alice@"], "dst": ["tag:server:443"]}
        ]
        """);
    List<FilterRule> f = p.filterFor(4);
    assertThat(f).hasSize(2);
    assertThat(f.get(0).dstPorts())
        .extracting(d -> d.ports().first())
        .containsExactly(22, 22, 443, 443);
  }

  @Test
  void shouldUseStarForDangerAll() {
    CompiledPolicy p =
        compile(
            "\"acls\": [{\"action\": \"accept\", \"src\": [\"autogroup:danger-all\"], \"dst\": [\"tag:server:22\"]}]");
    assertThat(p.filterFor(4).get(0).srcIps()).containsExactly("*");
  }

  @Test
  void shouldSerializeLikeTailcfg() throws Exception {
    CompiledPolicy p =
        compile(
            "\"acls\": [{\"action\": \"accept\", \"src\": [\"bob@example.com\"], \"dst\": [\"tag:server:22\"], \"proto\": \"udp\"}]");
    String json = JsonMapper.builder().build().writeValueAsString(p.filterFor(4));
    assertThat(json)
        .isEqualTo(
            "[{\"SrcIPs\":[\"100.64.0.3\",\"fd7a:115c:a1e0::3\"],\"DstPorts\":[{\"IP\":\"100.64.0.4\","
                + "\"Ports\":{\"First\":22,\"Last\":22}},{\"IP\":\"fd7a:115c:a1e0::4\",\"Ports\":{\"First\":22,\"Last\":22}}],\"IPProto\":[17]}]");
  }

  @Test
  void shouldCompileSshForTheDestinationOnly() {
    CompiledPolicy p =
        compile(
            """
        "acls": [],
        "ssh": [
          {"action": "accept", "src": ["group:eng"], "dst": ["tag:server"], "users": ["root", "ubuntu"]},
          {"action": "check", "src": ["autogroup:member"], "dst": ["autogroup:self"], "users": ["autogroup:nonroot"], "checkPeriod": "2h"}
        ]
        """);
    SshPolicy server = p.sshPolicyFor(4);
    assertThat(server.rules()).hasSize(1);
    assertThat(server.rules().get(0).principals())
        .extracting(x -> x.nodeIp())
        .containsExactly("100.64.0.1", "100.64.0.2", "fd7a:115c:a1e0::1", "fd7a:115c:a1e0::2");
    assertThat(server.rules().get(0).sshUsers())
        .containsEntry("root", "root")
        .containsEntry("ubuntu", "ubuntu");
    assertThat(server.rules().get(0).action().accept()).isTrue();
    SshPolicy laptop = p.sshPolicyFor(3);
    assertThat(laptop.rules()).hasSize(1);
    assertThat(laptop.rules().get(0).principals())
        .extracting(x -> x.nodeIp())
        .containsExactly("100.64.0.3", "fd7a:115c:a1e0::3");
    assertThat(laptop.rules().get(0).sshUsers()).containsEntry("*", "=").containsEntry("root", "");
    // what to check, not where: the gateway names the URL (SshActionUrlTest)
    assertThat(laptop.rules().get(0).action().check())
        .isEqualTo(new SshCheck(java.time.Duration.ofHours(2)));
    assertThat(laptop.rules().get(0).action().holdAndDelegate()).isNull();
    // the node is sent only where to ask, as Tailscale sends a check rule; the server's own copy
    // keeps the check period and what a passed check grants
    assertThat(laptop.rules().get(0).action().sessionDurationNanos()).isZero();
    assertThat(laptop.rules().get(0).action().allowAgentForwarding()).isFalse();
    SshRuleOut checked = p.sshPolicyForChecks(3).rules().get(0);
    assertThat(checked.action().sessionDurationNanos()).isEqualTo(7_200_000_000_000L);
    assertThat(checked.action().allowAgentForwarding()).isTrue();
    assertThat(compile("\"acls\": []").sshPolicyFor(4)).isNull();
  }

  @Test
  void shouldAcceptAPolicyWhoseTestsPass() {
    CompiledPolicy p =
        compile(
            """
        "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["tag:server:22"], "proto": "tcp"}],
        "tests": [{"src": "alice@example.com", "proto": "tcp", "accept": ["tag:server:22"], "deny": ["tag:server:80", "100.64.0.3:22"]}]
        """);
    assertThat(p.runTests()).isEmpty();
  }

  @Test
  void cannotAcceptAPolicyWhoseTestsFail() {
    assertThatThrownBy(
            () ->
                compile(
                    """
        "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["tag:server:22"]}],
        "tests": [{"src": "bob@example.com", "accept": ["tag:server:22"]}]
        """))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("test(s) failed: ")
        .hasMessageContaining("tag:server:22 expected ALLOWED, got DENIED");
    assertThatThrownBy(
            () ->
                compile(
                    """
        "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["tag:server:*"]}],
        "tests": [{"src": "alice@example.com", "accept": ["tag:server:22-23"]}]
        """))
        .hasMessageContaining("one port");
    assertThatThrownBy(
            () ->
                compile(
                    """
        "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["tag:server:*"]}],
        "tests": [{"src": "ghost@example.com", "accept": ["tag:server:22"]}]
        """))
        .hasMessageContaining("user not found");
  }

  @Test
  void shouldProposeAutoApprovalsForAdvertisedRoutesOnly() {
    TailnetSnapshot net =
        NET.withNode(
            node(
                7,
                "100.64.0.7",
                1L,
                Set.of("tag:router"),
                List.of("10.2.0.0/24", "192.168.9.0/24", "0.0.0.0/0"),
                List.of()));
    CompiledPolicy p =
        PolicyEngine.accept(
            "{"
                + NAMES
                + """
        "acls": [],
        "autoApprovers": {"routes": {"10.0.0.0/8": ["tag:router"], "::/0": ["tag:router"]}, "exitNode": ["tag:exit"]}
        }""",
            net);
    assertThat(p.pendingAutoApprovals(7)).containsExactly(IpPrefix.parse("10.2.0.0/24"));
    assertThat(p.pendingAutoApprovals(5)).as("already approved").isEmpty();
    assertThat(p.servedRoutes(7)).isEmpty();
    CompiledPolicy wide =
        PolicyEngine.accept(
            "{"
                + NAMES
                + """
        "acls": [],
        "autoApprovers": {"routes": {"0.0.0.0/0": ["tag:router"]}}
        }""",
            net);
    assertThat(wide.pendingAutoApprovals(7))
        .as("a routes entry covers its subnets, but exit needs exitNode")
        .containsExactly(IpPrefix.parse("10.2.0.0/24"), IpPrefix.parse("192.168.9.0/24"));
  }

  @Test
  void shouldSendViaGrantsOnlyToTheNamedRouters() {
    TailnetSnapshot net =
        NET.withNode(
            node(
                8,
                "100.64.0.8",
                1L,
                Set.of("tag:server"),
                List.of("10.1.0.0/16"),
                List.of("10.1.0.0/16")));
    CompiledPolicy p =
        PolicyEngine.accept(
            "{"
                + NAMES
                + """
        "grants": [
          {"src": ["bob@example.com"], "dst": ["10.1.0.0/16"], "ip": ["tcp:443"], "via": ["tag:router"]},
          {"src": ["bob@example.com"], "dst": ["autogroup:internet"], "ip": ["*"], "via": ["tag:exit"]}
        ]}""",
            net);
    assertThat(p.filterFor(5))
        .containsExactly(
            new FilterRule(
                List.of("100.64.0.3", "fd7a:115c:a1e0::3"),
                List.of(new NetPortRange("10.1.0.0/16", new PortRange(443, 443))),
                List.of(6)));
    assertThat(p.filterFor(8)).as("serves the route but is not a via router").isEmpty();
    assertThat(p.filterFor(6).get(0).dstPorts())
        .extracting(NetPortRange::ip)
        .containsExactly("0.0.0.0/0", "::/0");
    assertThat(p.filterFor(4)).isEmpty();
  }
}
