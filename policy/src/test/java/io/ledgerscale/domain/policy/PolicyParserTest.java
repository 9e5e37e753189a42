// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {
  private static final String NAMES =
      """
      "groups": {"group:eng": ["alice@example.com", "bob@"], "group:all": ["alice@example.com", "bob@", "carol@example.com"]},
      "hosts": {"db": "10.1.2.3", "lan": "192.168.0.0/16"},
      "tagOwners": {"tag:server": ["group:eng"], "tag:web": ["tag:server"]},
      """;

  private static Policy parse(String body) {
    return Policy.parse("{\n" + NAMES + body + "\n}");
  }

  @Test
  void canParseHuJsonWithCommentsAndTrailingCommas() {
    Policy p =
        Policy.parse(
            """
        {
          // who is who
          "groups": {"group:eng": ["alice@example.com",],},
          /* block comment */
          "tagOwners": {"tag:server": ["group:eng"],},
          "acls": [
            {"action": "accept", "src": ["group:eng"], "dst": ["tag:server:22,80-90"], "proto": "tcp",},
          ],
        }
        """);
    assertThat(p.rules()).hasSize(1);
    AccessRule r = p.rules().get(0);
    assertThat(r.sources()).containsExactly(new Alias.Group("group:eng"));
    assertThat(r.destinations().get(0).ports())
        .containsExactly(new PortRange(22, 22), new PortRange(80, 90));
    assertThat(r.ipProto()).containsExactly(6);
    assertThat(p.hasAccessRules()).isTrue();
  }

  @Test
  void shouldAllowEverythingWithoutAPolicyOrWithoutRules() {
    assertThat(Policy.parse(null).hasAccessRules()).isFalse();
    assertThat(Policy.parse("{}").hasAccessRules()).isFalse();
    assertThat(Policy.parse("{\"acls\": []}").hasAccessRules()).isTrue();
  }

  @Test
  void canParseGrantsIntoOneRulePerProtocol() {
    Policy p =
        parse(
            """
        "grants": [{"src": ["group:eng"], "dst": ["tag:server", "db"], "ip": ["tcp:22", "udp:53", "tcp:443", "icmp:*"]}]
        """);
    assertThat(p.rules()).hasSize(3);
    assertThat(p.rules().get(0).ipProto()).containsExactly(6);
    assertThat(p.rules().get(0).destinations().get(0).ports())
        .containsExactly(new PortRange(22, 22), new PortRange(443, 443));
    assertThat(p.rules().get(1).ipProto()).containsExactly(17);
    assertThat(p.rules().get(2).ipProto()).containsExactly(1);
  }

  @Test
  void canParseAutoApproversSshTestsAndNodeAttrs() {
    Policy p =
        parse(
            """
        "autoApprovers": {"routes": {"10.0.0.0/8": ["tag:server", "group:eng"]}, "exitNode": ["tag:web"]},
        "ssh": [{"action": "check", "src": ["group:eng"], "dst": ["tag:server"], "users": ["root", "autogroup:nonroot"],
                 "checkPeriod": "1h"}],
        "tests": [{"src": "alice@example.com", "accept": ["tag:server:22"], "deny": ["db:5432"]}],
        "nodeAttrs": [{"target": ["tag:server"], "attr": ["funnel"]}],
        """);
    assertThat(p.autoApprovers().routes()).containsKey(IpPrefix.parse("10.0.0.0/8"));
    assertThat(p.autoApprovers().exitNode()).containsExactly(new Alias.Tag("tag:web"));
    assertThat(p.ssh().get(0).checkPeriod()).isEqualTo("1h");
    assertThat(p.tests().get(0).accept()).containsExactly("tag:server:22");
    assertThat(p.nodeAttrs()).hasSize(1);
  }

  @Test
  void cannotParseInvalidJsonAndSaysWhere() {
    assertThatThrownBy(
            () -> Policy.parse("{\n  \"acls\": [\n    {\"action\": \"accept\",, }\n  ]\n}"))
        .isInstanceOfSatisfying(
            PolicyException.class,
            e -> {
              assertThat(e.getMessage()).startsWith("parsing HuJSON: ");
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.column()).isPositive();
            });
  }

  @Test
  void cannotParseAValueOfTheWrongTypeAndSaysSoInHeadscalesWords() {
    // Headplane shows an error inline when it carries Headscale's prefix for a structural error
    assertThatThrownBy(() -> Policy.parse("{\"acls\": {\"action\": \"accept\"}}"))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("parsing policy from bytes: acls must be an array, not object");
    assertThatThrownBy(() -> Policy.parse("[]"))
        .hasMessageStartingWith("parsing policy from bytes: ");
  }

  @Test
  void cannotParseDuplicateKeys() {
    assertThatThrownBy(
            () -> Policy.parse("{\"hosts\": {\"a\": \"10.0.0.1\", \"a\": \"10.0.0.2\"}}"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("duplicate key \"a\"")
        .hasMessageContaining("line 1")
        .hasMessageNotContaining("Duplicate field");
  }

  @Test
  void cannotParseUnknownFieldsAndPointsAtThem() {
    assertThatThrownBy(() -> Policy.parse("{\n  \"acls\": [],\n  \"derpMapp\": {}\n}"))
        .isInstanceOfSatisfying(
            PolicyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("unknown field \"derpMapp\"");
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.column()).isEqualTo(3);
            });
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"], \"ports\": [1]}]"))
        .hasMessageContaining("acls[0]: unknown field \"ports\"");
  }

  @Test
  void cannotUseUndeclaredTagsGroupsOrHosts() {
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"tag:nope\"], \"dst\": [\"*:*\"]}]"))
        .hasMessageContaining("src=tag not found: \"tag:nope\"");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"tag:nope:22\"]}]"))
        .hasMessageContaining("dst=\"tag:nope\": tag not found: \"tag:nope\"");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"group:nope\"], \"dst\": [\"*:*\"]}]"))
        .hasMessageContaining("src=group not found: \"group:nope\"");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"nohost:22\"]}]"))
        .hasMessageContaining("dst=\"nohost\": host not found: \"nohost\"");
  }

  @Test
  void cannotNameUsersWithoutAnAtSign() {
    assertThatThrownBy(() -> Policy.parse("{\"groups\": {\"group:eng\": [\"alice\"]}}"))
        .hasMessageContaining("group \"group:eng\": user \"alice\" must contain \"@\"");
    assertThatThrownBy(() -> Policy.parse("{\"tagOwners\": {\"tag:a\": [\"alice\"]}}"))
        .hasMessageContaining("user \"alice\" must contain \"@\"");
  }

  @Test
  void cannotNestGroupsInACycle() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    """
        {"groups": {"group:a": ["group:b"], "group:b": ["group:c"], "group:c": ["group:a", "x@"]}}
        """))
        .isInstanceOfSatisfying(
            PolicyException.class,
            e -> {
              assertThat(e.reason())
                  .startsWith(
                      "groups[\"group:c\"]: \"group:a\": group members cannot be recursive");
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.column()).isEqualTo(73);
            });
  }

  @Test
  void cannotNestGroupsEvenWithoutACycle() {
    // Tailscale refuses every group inside a group, naming the last one in the policy
    assertThatThrownBy(
            () ->
                Policy.parse(
                    """
        {"groups": {
          "group:a": ["group:b"],
          "group:b": ["group:c", "alice@example.com"],
          "group:c": ["bob@example.com"]
        }}
        """))
        .isInstanceOfSatisfying(
            PolicyException.class,
            e -> {
              assertThat(e.reason())
                  .startsWith(
                      "groups[\"group:b\"]: \"group:c\": group members cannot be recursive");
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.column()).isEqualTo(15);
            });
  }

  @Test
  void groupsHoldUsers() {
    Policy p =
        parse("\"acls\": [{\"action\": \"accept\", \"src\": [\"group:all\"], \"dst\": [\"*:*\"]}]");
    assertThat(p.groups().get("group:all"))
        .containsExactly("alice@example.com", "bob@", "carol@example.com");
  }

  @Test
  void cannotUseBadCidrsOrHosts() {
    assertThatThrownBy(() -> Policy.parse("{\"hosts\": {\"db\": \"10.0.0.0/33\"}}"))
        .hasMessageContaining("host \"db\": invalid IP address or CIDR \"10.0.0.0/33\"");
    assertThatThrownBy(() -> Policy.parse("{\"hosts\": {\"db\": \"300.1.1.1\"}}"))
        .hasMessageContaining("invalid IP address or CIDR");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"10.0.0.0/40\"], \"dst\": [\"*:*\"]}]"))
        .hasMessageContaining("invalid IP address or CIDR \"10.0.0.0/40\"");
    assertThatThrownBy(
            () -> parse("\"autoApprovers\": {\"routes\": {\"10.0.0/8\": [\"tag:server\"]}}"))
        .hasMessageContaining("autoApprovers.routes: invalid route \"10.0.0/8\"");
  }

  @Test
  void cannotUseBadPorts() {
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"tag:server:ssh\"]}]"))
        .hasMessageContaining("dst=\"tag:server:ssh\": port range \"ssh\": invalid first integer");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"tag:server:70000\"]}]"))
        .hasMessageContaining("port range \"70000\": invalid first integer");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"tag:server:90-80\"]}]"))
        .hasMessageContaining("first port is greater than last port");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"tag:server\"]}]"))
        .hasMessageContaining("dst=\"tag:server\": port range \"server\": invalid first integer");
  }

  @Test
  void cannotUseDenyOrUnknownProtocols() {
    assertThatThrownBy(
            () -> parse("\"acls\": [{\"action\": \"deny\", \"src\": [\"*\"], \"dst\": [\"*:*\"]}]"))
        .hasMessageContaining("action=\"deny\" is not supported");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"], \"proto\": \"quic\"}]"))
        .hasMessageContaining("proto \"quic\" is not supported");
  }

  @Test
  void cannotMisuseAutogroups() {
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"autogroup:self\"], \"dst\": [\"*:*\"]}]"))
        .hasMessageContaining("\"autogroup:self\" not valid on the src side of a rule");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"tag:server\"], \"dst\": [\"autogroup:self:*\"]}]"))
        .hasMessageContaining(
            "autogroup:self can only be used with users, groups, or supported autogroups");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"autogroup:billing-admin\"], \"dst\": [\"*:*\"]}]"))
        .hasMessageContaining("autogroup \"autogroup:billing-admin\" is not supported");
    assertThatThrownBy(
            () ->
                parse(
                    "\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"autogroup:danger-all:*\"]}]"))
        .hasMessageContaining("not valid on the dst side");
  }

  @Test
  void cannotLetTagsSshIntoUserDevices() {
    assertThatThrownBy(
            () ->
                parse(
                    """
        "ssh": [{"action": "accept", "src": ["tag:server"], "dst": ["autogroup:self"], "users": ["root"]}]
        """))
        .hasMessageContaining("tags cannot be sources for user-owned destinations");
    assertThatThrownBy(
            () ->
                parse(
                    """
        "ssh": [{"action": "accept", "src": ["group:eng"], "dst": ["*"], "users": ["root"]}]
        """))
        .hasMessageContaining("\"*\" is not valid as an ssh destination");
  }

  @Test
  void shouldKeepMalformedTestsForTheTestRun() {
    Policy p = parse("\"tests\": [{\"accept\": [\"tag:server:22\"]}]");
    assertThat(p.tests().get(0).wellFormed()).isFalse();
  }

  @Test
  void shouldReportTheTagOwnersContract() {
    TagOwners owners = TagOwners.parse("{\n" + NAMES + "}");
    assertThat(owners.isDeclared("tag:server")).isTrue();
    assertThat(owners.isDeclared("tag:nope")).isFalse();
    assertThat(TagOwnerChecks.mayApply(owners, "alice", "alice@example.com", "tag:server"))
        .isTrue();
    assertThat(TagOwnerChecks.mayApply(owners, "bob", null, "tag:server")).isTrue();
    assertThat(TagOwnerChecks.mayApply(owners, "bob", "bob@example.org", "tag:web"))
        .as("owner of an owning tag")
        .isTrue();
    assertThat(TagOwnerChecks.mayApply(owners, "carol", "carol@example.com", "tag:server"))
        .isFalse();
    assertThat(TagOwners.none().isDeclared("tag:server")).isFalse();
    assertThat(
            TagOwnerChecks.mayApply(
                TagOwners.parse(""), "alice", "alice@example.com", "tag:server"))
        .isFalse();
    assertThatThrownBy(() -> TagOwners.parse("{\"tagOwners\": {\"tag:a\": [\"group:none\"]}}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldKeepEveryPolicyImmutable() {
    Policy p = parse("\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"]}]");
    assertThatThrownBy(() -> p.rules().add(p.rules().get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> p.groups().put("group:x", List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
