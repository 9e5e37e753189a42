// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.FilterRule;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.compile.RouteApproval;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserNaming;
import io.ledgerscale.domain.policy.topology.UserTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A policy user token names exactly one user, or nobody; never several (issue 8, item 7). */
class OneIdentityOneMatchTest {
  // alice changed her address at the IdP; a second IdP account verified her old one
  private static final TailnetUser ALICE = new TailnetUser(1, "alice", "alice@new.example");
  private static final TailnetUser SECOND = new TailnetUser(2, "alice-old", "alice@old.example");
  private static final TailnetUser BOB = new TailnetUser(3, "bob", "bob@example.com");
  // an OIDC user named by a full address (strip_email_domain unset) and a user with that address
  private static final TailnetUser NAMED = new TailnetUser(4, "carol@example.com", null);
  private static final TailnetUser CAROL = new TailnetUser(5, "carol", "Carol@Example.com");

  private static final TailnetSnapshot NET =
      TailnetSnapshot.of(
          List.of(ALICE, SECOND, BOB),
          List.of(
              node(1, "100.64.0.1", 1L, List.of()),
              node(2, "100.64.0.2", 2L, List.of()),
              node(3, "100.64.0.3", 3L, List.of("10.9.0.0/16"))));

  private static TailnetNode node(long id, String v4, Long user, List<String> routes) {
    return new TailnetNode(
        id,
        "n" + id,
        IpAddress.parse(v4),
        new IpAddress(true, 0xfd7a115ca1e00000L, id),
        user,
        Set.of(),
        routes.stream().map(IpPrefix::parse).toList(),
        List.of());
  }

  private static List<String> sources(CompiledPolicy p, long nodeId) {
    List<String> out = new ArrayList<>();
    for (FilterRule r : p.filterFor(nodeId)) {
      out.addAll(r.srcIps());
    }
    return out;
  }

  @Test
  void aTrailingAtNamesTheUserOfThatNameNotEveryAddressStartingWithIt() {
    CompiledPolicy p =
        PolicyEngine.accept(
            "{\"acls\": [{\"action\": \"accept\", \"src\": [\"alice@\"], \"dst\": [\"bob@:22\"]}]}",
            NET);
    assertThat(sources(p, 3)).contains("100.64.0.1").doesNotContain("100.64.0.2");
  }

  @Test
  void anAddressNamesTheUserWithThatAddressWhole() {
    CompiledPolicy p =
        PolicyEngine.accept(
            "{\"acls\": [{\"action\": \"accept\", \"src\": [\"alice@old.example\"],"
                + " \"dst\": [\"bob@:22\"]}]}",
            NET);
    assertThat(sources(p, 3)).contains("100.64.0.2").doesNotContain("100.64.0.1");
  }

  @Test
  void anAmbiguousTokenRefusesThePolicyNamingTheTokenAndTheUsers() {
    TailnetSnapshot net =
        TailnetSnapshot.of(
            List.of(ALICE, BOB, NAMED, CAROL), List.of(node(3, "100.64.0.3", 3L, List.of())));
    assertThatThrownBy(
            () ->
                PolicyEngine.accept(
                    "{\"acls\": [{\"action\": \"accept\", \"src\": [\"carol@example.com\"],"
                        + " \"dst\": [\"bob@:22\"]}]}",
                    net))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("\"carol@example.com\" is ambiguous")
        .hasMessageContaining("carol@example.com (id 4)")
        .hasMessageContaining("carol (id 5, Carol@Example.com)");
  }

  @Test
  void anAmbiguousTokenInGroupsOrTagOwnersRefusesThePolicyToo() {
    TailnetSnapshot net = TailnetSnapshot.of(List.of(BOB, NAMED, CAROL), List.of());
    assertThatThrownBy(
            () ->
                PolicyEngine.accept(
                    "{\"groups\": {\"group:x\": [\"carol@example.com\"]},"
                        + " \"tagOwners\": {\"tag:a\": [\"bob@\"]}}",
                    net))
        .hasMessageContaining("\"carol@example.com\" is ambiguous");
    assertThatThrownBy(
            () -> PolicyEngine.accept("{\"tagOwners\": {\"tag:a\": [\"carol@example.com\"]}}", net))
        .hasMessageContaining("\"carol@example.com\" is ambiguous");
  }

  @Test
  void aStoredPolicyThatBecameAmbiguousMatchesNobodyForThatTokenAndSaysSo() {
    String text =
        "{\"acls\": [{\"action\": \"accept\", \"src\": [\"carol@example.com\", \"alice@\"],"
            + " \"dst\": [\"bob@:22\"]}]}";
    TailnetSnapshot before =
        TailnetSnapshot.of(
            List.of(ALICE, BOB, CAROL),
            List.of(
                node(1, "100.64.0.1", 1L, List.of()),
                node(3, "100.64.0.3", 3L, List.of()),
                node(5, "100.64.0.5", 5L, List.of())));
    CompiledPolicy accepted = PolicyEngine.accept(text, before);
    assertThat(sources(accepted, 3)).contains("100.64.0.5");

    // a user named by carol's address appears later, with a node of its own
    List<TailnetUser> users = List.of(ALICE, BOB, CAROL, NAMED);
    CompiledPolicy later =
        accepted.withUsers(users).policy().withNode(node(4, "100.64.0.4", 4L, List.of())).policy();
    assertThat(sources(later, 3)).contains("100.64.0.1").doesNotContain("100.64.0.5", "100.64.0.4");
    assertThat(later.ambiguousUsers()).containsOnlyKeys("carol@example.com");

    CompiledPolicy recompiled =
        PolicyEngine.compile(
            text,
            TailnetSnapshot.of(
                users,
                List.of(
                    node(1, "100.64.0.1", 1L, List.of()),
                    node(3, "100.64.0.3", 3L, List.of()),
                    node(4, "100.64.0.4", 4L, List.of()),
                    node(5, "100.64.0.5", 5L, List.of()))));
    assertThat(sources(recompiled, 3))
        .contains("100.64.0.1")
        .doesNotContain("100.64.0.5", "100.64.0.4");
    assertThat(UserTokens.describe(recompiled.ambiguousUsers()))
        .contains("carol@example.com (id 4)", "carol (id 5");
  }

  @Test
  void tagOwnershipAndRouteApprovalFollowTheSameRule() {
    Policy policy =
        Policy.parse(
            "{\"tagOwners\": {\"tag:a\": [\"alice@\", \"carol@example.com\"]},"
                + " \"autoApprovers\": {\"routes\": {\"10.9.0.0/16\": [\"carol@example.com\"]}}}");
    TagOwners owners = TagOwners.of(policy);
    List<TailnetUser> everyone = List.of(ALICE, SECOND, NAMED, CAROL);
    UserNaming naming = UserNaming.over(() -> everyone);
    assertThat(owners.mayApply(ALICE, naming, "tag:a")).isTrue();
    assertThat(owners.mayApply(SECOND, naming, "tag:a"))
        .as("alice@ is not whoever has an address starting alice@")
        .isFalse();
    assertThat(owners.mayApply(CAROL, naming, "tag:a")).as("ambiguous token").isFalse();
    assertThat(owners.mayApply(NAMED, naming, "tag:a")).as("ambiguous token").isFalse();
    assertThat(owners.mayApply(CAROL, UserNaming.over(() -> List.of(ALICE, CAROL)), "tag:a"))
        .as("unambiguous, the address matched whole and ignoring case")
        .isTrue();

    TailnetNode router = node(9, "100.64.0.9", 5L, List.of("10.9.0.0/16"));
    assertThat(RouteApproval.autoApproved(policy, router, CAROL, naming)).isEmpty();
    assertThat(
            RouteApproval.autoApproved(
                policy, router, CAROL, UserNaming.over(() -> List.of(ALICE, CAROL))))
        .containsExactly(IpPrefix.parse("10.9.0.0/16"));
  }
}
