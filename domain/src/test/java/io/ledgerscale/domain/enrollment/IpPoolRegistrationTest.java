// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.tailnet.NodeReservedEvent;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.support.InJvmLedger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code nodeAttrs} {@code ipPool}: a new node the pool's entry targets gets its IPv4 address from
 * the pool, others from the tailnet's prefix, and nodes already registered keep theirs.
 */
class IpPoolRegistrationTest {
  private static final String POLICY =
      """
      {
        "groups": {"group:ops": ["carol@example.com"]},
        "tagOwners": {"tag:x": ["alice@example.com"], "tag:y": ["alice@example.com"]},
        "nodeAttrs": [
          {"target": ["tag:x"], "ipPool": ["100.81.0.0/30"]},
          {"target": ["group:ops"], "ipPool": ["100.82.0.0/24"]},
        ],
      }
      """;
  private static final Instant EXPIRY = Instant.parse("2027-05-01T00:00:00Z");

  private final InJvmLedger ledger = new InJvmLedger();

  @BeforeEach
  void setUp() {
    ledger.send(new CreateUserCommand("alice", null, "alice@example.com", null, null, null));
    ledger.send(new CreateUserCommand("carol", null, "carol@example.com", null, null, null));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private NodeRegistration register(String machine, Long userId, List<String> tags) {
    IssuedPreAuthKey key =
        ledger.send(new CreatePreAuthKeyCommand(userId, false, false, null, tags));
    return ledger.send(
        new RegisterNodeWithPreAuthKeyCommand(
            "mkey:" + machine, "nodekey:" + machine, machine, List.of(), key.key(), EXPIRY));
  }

  private List<NodeReservedEvent> reservations() {
    return ledger.payloads(AggregateIds.TAILNET).stream()
        .filter(NodeReservedEvent.class::isInstance)
        .map(NodeReservedEvent.class::cast)
        .toList();
  }

  @Test
  void givesNewNodesTheTargetsNameAnAddressFromTheirPoolAndOthersNot() {
    // carol's node, registered before the policy gives group:ops a pool
    NodeRegistration before = register("before", 2L, List.of());
    ledger.send(new SetPolicyCommand(POLICY));
    // the node registered before the pool keeps its address: the policy change reserves nothing
    assertThat(before.ipv4()).isEqualTo("100.64.0.1");
    assertThat(reservations()).hasSize(1);
    assertThat(reservations().get(0).ipv4()).isEqualTo("100.64.0.1");

    NodeRegistration tagged = register("tagged", 1L, List.of("tag:x"));
    NodeRegistration alice = register("alice", 1L, List.of());
    NodeRegistration carol = register("carol", 2L, List.of());

    assertThat(tagged.ipv4()).isEqualTo("100.81.0.1");
    assertThat(carol.ipv4()).isEqualTo("100.82.0.1");
    // alice's node is no pool's target: the tailnet's prefix, its cursor unmoved by the pools
    assertThat(alice.ipv4()).isEqualTo("100.64.0.2");
    assertThat(reservations())
        .extracting(NodeReservedEvent::ipv4Pool)
        .containsExactly(null, "100.81.0.0/30", null, "100.82.0.0/24");
    // IPv6 addresses stay sequential in the tailnet's prefix
    assertThat(tagged.ipv6()).isEqualTo("fd7a:115c:a1e0::2");
  }

  @Test
  void refusesANewNodeWhenEveryPoolThatAppliesIsFull() {
    ledger.send(new SetPolicyCommand(POLICY));
    assertThat(register("x1", 1L, List.of("tag:x")).ipv4()).isEqualTo("100.81.0.1");
    assertThat(register("x2", 1L, List.of("tag:x")).ipv4()).isEqualTo("100.81.0.2");

    assertThatThrownBy(() -> register("x3", 1L, List.of("tag:x")))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining(
            "no free address left in the policy's address pools for this node (100.81.0.0/30)")
        .satisfies(
            e -> assertThat(((CommandRefusedException) e).kind()).isEqualTo(RefusalKind.CONFLICT));
    assertThat(reservations()).hasSize(2);
    // a node the pool does not target still gets an address
    assertThat(register("y", 1L, List.of("tag:y")).ipv4()).isEqualTo("100.64.0.1");
  }
}
