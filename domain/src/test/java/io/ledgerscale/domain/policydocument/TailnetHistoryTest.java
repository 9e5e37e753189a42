// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRoutesAdvertisedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TailnetHistoryTest {
  private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");

  private static NodeRegisteredEvent registered(long id, String name, Long userId) {
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

  @Test
  void shouldFoldUsersNodesTagsRoutesAndThePolicy() {
    TailnetHistory history = new TailnetHistory();
    history.apply(new UserCreatedEvent(1, "alice", null, "alice@example.com", null, null, null), T);
    history.apply(new UserRenamedEvent(1, "alice", "alicia"), T);
    history.apply(registered(1, "laptop", 1L), T);
    history.apply(registered(2, "router", 1L), T);
    history.apply(new NodeTagsChangedEvent(2, List.of(), List.of("tag:router"), 1L), T);
    history.apply(new NodeRoutesAdvertisedEvent(2, List.of(), List.of("10.0.0.0/8")), T);
    history.apply(
        new NodeRoutesApprovedEvent(2, List.of(), List.of("10.0.0.0/8"), "autoApprovers"), T);
    history.apply(new PolicyChangedEvent(3, "{}", "abc", null, ""), T.plusSeconds(5));
    history.apply("an event it does not know", T);

    assertThat(history.snapshot().user(1L).name()).isEqualTo("alicia");
    TailnetNode router = history.snapshot().node(2);
    assertThat(router.tags()).isEqualTo(Set.of("tag:router"));
    assertThat(router.owningUserId()).isNull();
    assertThat(router.advertisedRoutes()).containsExactly(IpPrefix.parse("10.0.0.0/8"));
    assertThat(router.approvedRoutes()).containsExactly(IpPrefix.parse("10.0.0.0/8"));
    assertThat(history.policy())
        .contains(new TailnetHistory.PolicyInForce(3, "{}", "abc", T.plusSeconds(5)));
  }

  @Test
  void shouldFollowTransfersAndDeletions() {
    TailnetHistory history = new TailnetHistory();
    history.apply(new UserCreatedEvent(1, "alice", null, null, null, null, null), T);
    history.apply(new UserCreatedEvent(2, "bob", null, null, null, null, null), T);
    history.apply(registered(1, "laptop", null), T);
    history.apply(new NodeOwnershipTransferredEvent(1, null, 2, List.of("tag:x"), "moved"), T);
    history.apply(registered(2, "gone", 1L), T);
    history.apply(new NodeDeletedEvent(2, "gone", List.of()), T);

    assertThat(history.snapshot().node(1).owningUserId()).isEqualTo(2L);
    assertThat(history.snapshot().node(1).tags()).isEmpty();
    assertThat(history.snapshot().node(2)).isNull();
    assertThat(history.policy()).isEmpty();
  }
}
