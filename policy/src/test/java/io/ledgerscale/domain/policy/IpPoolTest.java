// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.IpPools;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code nodeAttrs} {@code ipPool}: what is accepted, and which pools apply to a new node. */
class IpPoolTest {
  private static final TailnetUser ALICE = new TailnetUser(1, "alice", "alice@example.com");
  private static final TailnetUser BOB = new TailnetUser(2, "bob", "bob@example.com");
  private static final TailnetSnapshot NET =
      TailnetSnapshot.of(
          List.of(ALICE, BOB),
          List.of(
              new TailnetNode(
                  1,
                  "laptop",
                  IpAddress.parse("100.64.0.1"),
                  null,
                  1L,
                  Set.of(),
                  List.of(),
                  List.of())));

  private static String policy(String nodeAttrs) {
    return """
        {"groups": {"group:eng": ["bob@example.com"]},
         "tagOwners": {"tag:x": ["alice@example.com"], "tag:y": ["alice@example.com"]},
         "nodeAttrs": [%s]}
        """
        .formatted(nodeAttrs);
  }

  @Test
  void keepsThePoolsOfAnEntryWithItsTargets() {
    Policy p =
        Policy.parse(
            policy(
                """
                {"target": ["tag:x"], "ipPool": ["100.81.0.0/16", "100.82.0.0/24", "100.81.0.0/16"]},
                {"target": ["tag:y"], "attr": ["funnel"]}
                """));
    assertThat(p.nodeAttrs().get(0).ipPool())
        .containsExactly(IpPrefix.parse("100.81.0.0/16"), IpPrefix.parse("100.82.0.0/24"));
    assertThat(p.nodeAttrs().get(0).targets()).containsExactly(new Alias.Tag("tag:x"));
    assertThat(p.nodeAttrs().get(1).ipPool()).isEmpty();
  }

  @Test
  void refusesReservedAndForeignPoolsWithTheReason() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy("{\"target\": [\"tag:x\"], \"ipPool\": [\"100.100.100.0/24\"]}")))
        .hasMessageContaining("IPPool(100.100.100.0/24): network within reserved range");
    assertThatThrownBy(
            () -> Policy.parse(policy("{\"target\": [\"tag:x\"], \"ipPool\": [\"10.0.0.0/8\"]}")))
        .hasMessageContaining("is not inside Tailscale's 100.64.0.0/10");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy("{\"target\": [\"tag:x\"], \"ipPool\": [\"fd7a:115c:a1e0::/64\"]}")))
        .hasMessageContaining("is not an IPv4 prefix");
    assertThatThrownBy(
            () ->
                Policy.parse(policy("{\"target\": [\"tag:x\"], \"ipPool\": [\"100.81.0.1/16\"]}")))
        .hasMessageContaining("has host bits set; write the network, 100.81.0.0/16");
    assertThatThrownBy(
            () ->
                Policy.parse(policy("{\"target\": [\"tag:x\"], \"ipPool\": [\"100.81.0.1/32\"]}")))
        .hasMessageContaining("leaves no addresses for nodes");
    assertThatThrownBy(
            () -> Policy.parse(policy("{\"target\": [\"tag:x\"], \"ipPool\": [\"nope\"]}")))
        .hasMessageContaining("\"nope\" is not an IPv4 prefix");
  }

  @Test
  void boundsThePrefixesOfOneEntry() {
    String many =
        IntStream.range(0, 65)
            .mapToObj(i -> "\"100.90." + i + ".0/24\"")
            .collect(Collectors.joining(", "));
    assertThatThrownBy(
            () -> Policy.parse(policy("{\"target\": [\"tag:x\"], \"ipPool\": [" + many + "]}")))
        .hasMessageContaining("ipPool lists 65 prefixes; at most 64");
    String enough =
        IntStream.range(0, 64)
            .mapToObj(i -> "\"100.90." + i + ".0/24\"")
            .collect(Collectors.joining(", "));
    assertThat(
            Policy.parse(policy("{\"target\": [\"tag:x\"], \"ipPool\": [" + enough + "]}"))
                .nodeAttrs()
                .get(0)
                .ipPool())
        .hasSize(64);
  }

  @Test
  void answersThePoolsThatApplyToANewNodeByOwnerAndTags() {
    String text =
        policy(
            """
            {"target": ["tag:x"], "ipPool": ["100.81.0.0/16"]},
            {"target": ["group:eng", "tag:x"], "ipPool": ["100.82.0.0/16", "100.81.0.0/16"]},
            {"target": ["alice@example.com"], "attr": ["funnel"]}
            """);
    Policy p = Policy.parse(text);
    CompiledPolicy compiled = PolicyEngine.accept(text, NET);
    List<IpPrefix> tagged =
        List.of(IpPrefix.parse("100.81.0.0/16"), IpPrefix.parse("100.82.0.0/16"));
    assertThat(IpPools.forNewNode(p, NET, null, Set.of("tag:x"))).isEqualTo(tagged);
    assertThat(compiled.ipPoolsFor(null, Set.of("tag:x"))).isEqualTo(tagged);
    // bob is in group:eng: the second entry's pools, in its order
    List<IpPrefix> eng = List.of(IpPrefix.parse("100.82.0.0/16"), IpPrefix.parse("100.81.0.0/16"));
    assertThat(IpPools.forNewNode(p, NET, 2L, Set.of())).isEqualTo(eng);
    assertThat(compiled.ipPoolsFor(2L, Set.of())).isEqualTo(eng);
    assertThat(IpPools.forNewNode(p, NET, 1L, Set.of())).isEmpty();
    assertThat(IpPools.forNewNode(p, NET, null, Set.of("tag:y"))).isEmpty();
    assertThat(IpPools.all(p))
        .containsExactly(IpPrefix.parse("100.81.0.0/16"), IpPrefix.parse("100.82.0.0/16"));
  }
}
