// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.query.FetchPolicyReachQuery;
import io.ledgerscale.domain.api.query.PolicyReachView;
import io.ledgerscale.domain.api.query.ReachablePeerView;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reach at T reads the store and ignores everything recorded after T. */
class PolicyReachQueriesTest {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static final String ONLY_SSH =
      """
      {"acls": [{"action": "accept", "src": ["alice@"], "dst": ["bob@:22"]}]}""";

  private final InMemoryEventStorageEngine store = new InMemoryEventStorageEngine();
  private PolicyReachQueries reach;

  @BeforeEach
  void setUp() {
    reach = new PolicyReachQueries(store);
    append("user-1", 0, new UserCreatedEvent(1, "alice", null, null, null, null, null), T0);
    append("user-2", 0, new UserCreatedEvent(2, "bob", null, null, null, null, null), T0);
    append("node-1", 0, node(1, "laptop", 1L), T0.plusSeconds(1));
    append("node-2", 0, node(2, "desktop", 2L), T0.plusSeconds(2));
    append("policy", 0, new PolicyChangedEvent(1, ONLY_SSH, "sha-1", null, ""), T0.plusSeconds(60));
  }

  @Test
  void shouldAnswerWithThePolicyInForceAtTheInstantAsked() {
    PolicyReachView before = reach.handle(new FetchPolicyReachQuery(1, T0.plusSeconds(59)));
    PolicyReachView after = reach.handle(new FetchPolicyReachQuery(1, T0.plusSeconds(60)));

    assertThat(before.policyVersion()).isZero();
    assertThat(before.peers()).extracting(ReachablePeerView::ports).containsExactly(List.of("*"));
    assertThat(after.policyVersion()).isEqualTo(1);
    assertThat(after.peers()).extracting(ReachablePeerView::ports).containsExactly(List.of("22"));
  }

  @Test
  void shouldAnswerNullForANodeRegisteredLater() {
    assertThat(reach.handle(new FetchPolicyReachQuery(2, T0.plusSeconds(1)))).isNull();
    assertThat(reach.handle(new FetchPolicyReachQuery(2, T0.plusSeconds(2)))).isNotNull();
  }

  private static NodeRegisteredEvent node(long id, String name, long userId) {
    return new NodeRegisteredEvent(
        id,
        "mkey:" + id,
        "nodekey:" + id,
        name,
        name,
        userId,
        List.of(),
        "100.64.0." + id,
        "fd7a:115c:a1e0::" + id,
        RegisterMethod.AUTH_KEY,
        1L,
        false,
        null);
  }

  private void append(String aggregateId, long seq, Object payload, Instant at) {
    store.appendEvents(
        new GenericDomainEventMessage<>(
            "Aggregate",
            aggregateId,
            seq,
            payload,
            MetaData.emptyInstance(),
            UUID.randomUUID().toString(),
            at));
  }
}
