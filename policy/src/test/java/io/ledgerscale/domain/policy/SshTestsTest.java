// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The policy's {@code sshTests}: checked when parsed, run against each destination's SSH policy
 * when accepted.
 */
class SshTestsTest {
  private static final TailnetUser ALICE = new TailnetUser(1, "alice", "alice@example.com");
  private static final TailnetUser BOB = new TailnetUser(2, "bob", "bob@example.com");

  // 1: alice's laptop; 2: bob's laptop; 3: bob's phone; 4: tagged server; 5: tagged prod box
  private static final TailnetSnapshot NET =
      TailnetSnapshot.of(
          List.of(ALICE, BOB),
          List.of(
              node(1, "100.64.0.1", 1L, Set.of()),
              node(2, "100.64.0.2", 2L, Set.of()),
              node(3, "100.64.0.3", 2L, Set.of()),
              node(4, "100.64.0.4", 1L, Set.of("tag:server")),
              node(5, "100.64.0.5", 1L, Set.of("tag:prod"))));

  private static final String NAMES =
      """
      "groups": {"group:eng": ["alice@example.com"]},
      "hosts": {"srv": "100.64.0.4", "lan": "10.1.0.0/16"},
      "tagOwners": {"tag:server": ["group:eng"], "tag:prod": ["group:eng"]},
      """;

  private static TailnetNode node(long id, String v4, Long user, Set<String> tags) {
    return new TailnetNode(
        id,
        "n" + id,
        IpAddress.parse(v4),
        new IpAddress(true, 0xfd7a115ca1e00000L, id),
        user,
        tags,
        List.of(),
        List.of());
  }

  private static CompiledPolicy accept(String body) {
    return PolicyEngine.accept("{" + NAMES + body + "}", NET);
  }

  private static final String SSH =
      """
      "ssh": [
        {"action": "accept", "src": ["alice@example.com"], "dst": ["tag:server"], "users": ["root", "ubuntu"]},
        {"action": "check", "src": ["group:eng"], "dst": ["tag:prod"], "users": ["autogroup:nonroot"]},
        {"action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self"], "users": ["autogroup:nonroot"]},
      ],
      """;

  @Test
  void canAcceptAPolicyWhoseSshTestsPass() {
    CompiledPolicy p =
        accept(
            SSH
                + """
        "sshTests": [
          {"src": "alice@example.com", "dst": ["tag:server", "srv", "100.64.0.4"], "accept": ["root", "ubuntu"],
           "deny": ["postgres"]},
          {"src": "group:eng", "dst": ["tag:prod"], "check": ["alice"], "accept": ["alice"], "deny": ["root"]},
          {"src": "bob@example.com", "dst": ["autogroup:self"], "accept": ["bob"], "deny": ["root"]},
          {"src": "bob@example.com", "dst": ["alice@example.com", "tag:server"], "deny": ["bob", "root"]},
          {"src": "tag:prod", "dst": ["tag:server"], "deny": ["root"]},
        ],
        """);
    assertThat(p.runSshTests()).isEmpty();
  }

  @Test
  void cannotAcceptAPolicyWhoseSshTestsFailAndSaysWhich() {
    assertThatThrownBy(
            () ->
                accept(
                    SSH
                        + """
        "sshTests": [{"src": "alice@example.com", "dst": ["tag:server"], "accept": ["postgres"]}],
        """))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("test(s) failed: ")
        .hasMessageContaining("alice@example.com as postgres -> n4: expected ALLOWED, got DENIED");
    assertThatThrownBy(
            () ->
                accept(
                    SSH
                        + """
        "sshTests": [{"src": "alice@example.com", "dst": ["tag:server"], "deny": ["root"]}],
        """))
        .hasMessageContaining("as root -> n4: expected DENIED, got ALLOWED");
  }

  @Test
  void shouldRequireACheckRuleForCheckUsers() {
    assertThatThrownBy(
            () ->
                accept(
                    SSH
                        + """
        "sshTests": [{"src": "alice@example.com", "dst": ["tag:server"], "check": ["root"]}],
        """))
        .hasMessageContaining(
            "as root -> n4: expected ALLOWED via check, got ALLOWED without check");
  }

  @Test
  void shouldNotLetNonrootStandForRoot() {
    assertThatThrownBy(
            () ->
                accept(
                    SSH
                        + """
        "sshTests": [{"src": "group:eng", "dst": ["tag:prod"], "accept": ["root"]}],
        """))
        .hasMessageContaining("expected ALLOWED, got DENIED");
  }

  @Test
  void shouldNotLetNetworkRulesOpenSsh() {
    assertThatThrownBy(
            () ->
                accept(
                    """
        "acls": [{"action": "accept", "src": ["*"], "dst": ["*:22"]}],
        "sshTests": [{"src": "alice@example.com", "dst": ["tag:server"], "accept": ["root"]}],
        """))
        .hasMessageContaining("expected ALLOWED, got DENIED");
  }

  @Test
  void shouldFailATestThatAssertsNothingOrNamesNobody() {
    assertThatThrownBy(
            () ->
                accept(
                    SSH
                        + """
        "sshTests": [{"src": "alice@example.com", "dst": ["tag:server"]}],
        """))
        .hasMessageContaining("needs at least one accept, check or deny user");
    assertThatThrownBy(
            () ->
                accept(
                    SSH
                        + """
        "sshTests": [{"src": "carol@example.com", "dst": ["tag:server"], "accept": ["root"]}],
        """))
        .hasMessageContaining("user not found: \"carol@example.com\"");
    assertThatThrownBy(
            () ->
                accept(
                    SSH
                        + """
        "sshTests": [{"src": "alice@example.com", "dst": ["100.64.0.99"], "accept": ["root"]}],
        """))
        .hasMessageContaining("dst \"100.64.0.99\" names no node");
    assertThatThrownBy(
            () ->
                accept(
                    SSH
                        + """
        "sshTests": [{"src": "alice@example.com", "dst": ["tag:server"], "accept": [""]}],
        """))
        .hasMessageContaining("as \"\" -> n4: expected ALLOWED");
  }

  @Test
  void cannotParseSshTestsWithBadDestinationsAndSaysWhere() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{"
                        + NAMES
                        + """
        "sshTests": [
          {"src": "alice@example.com", "dst": ["autogroup:internet"], "accept": ["root"]}]}
        """))
        .isInstanceOfSatisfying(
            PolicyException.class,
            e -> {
              assertThat(e.reason())
                  .isEqualTo("SSH tests dst contains disallowed element \"autogroup:internet\"");
              assertThat(e.line()).isEqualTo(5);
              assertThat(e.column()).isEqualTo(40);
            });
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{"
                        + NAMES
                        + "\"sshTests\": [{\"src\": \"alice@example.com\", \"dst\": [\"100.64.0.0/24\"], \"accept\": [\"root\"]}]}"))
        .hasMessageContaining("SSH tests dst contains disallowed element \"100.64.0.0/24\"");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{"
                        + NAMES
                        + "\"sshTests\": [{\"src\": \"alice@example.com\", \"dst\": [\"lan\"], \"accept\": [\"root\"]}]}"))
        .hasMessageContaining("SSH tests dst contains disallowed element \"lan\"");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{"
                        + NAMES
                        + "\"sshTests\": [{\"src\": \"alice@example.com\", \"dst\": [\"tag:server:22\"], \"accept\": [\"root\"]}]}"))
        .hasMessageContaining("SSH tests dst contains unknown tag \"tag:server:22\"");
  }

  @Test
  void cannotParseSshTestsWithoutSourceOrDestination() {
    assertThatThrownBy(
            () -> Policy.parse("{\"sshTests\": [{\"dst\": [\"tag:x\"], \"accept\": [\"root\"]}]}"))
        .hasMessageContaining("sshTests: \"src\" is required");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{\"sshTests\": [{\"src\": \"a@b\", \"dst\": [], \"accept\": [\"root\"]}]}"))
        .hasMessageContaining("sshTests: dst needs at least one host");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{\"sshTests\": [{\"src\": \"a@b\", \"dst\": [\"a@b\"], \"allow\": []}]}"))
        .hasMessageContaining("sshTests: unknown field \"allow\"");
  }

  @Test
  void cannotGiveSshToEveryLocalUser() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "{"
                        + NAMES
                        + """
        "ssh": [{"action": "accept", "src": ["group:eng"], "dst": ["tag:server"], "users": ["*"]}]}
        """))
        .hasMessageContaining("user \"*\" is not valid");
  }
}
