// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.query.PolicyReachView;
import io.ledgerscale.domain.api.query.ReachablePeerView;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyReachTest {
  private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");
  private static final String SSH_TO_SERVERS =
      """
      {
        "tagOwners": {"tag:server": ["alice@"]},
        "acls": [{"action": "accept", "src": ["alice@"], "dst": ["tag:server:22,80-81"]}],
      }
      """;

  private static TailnetHistory tailnet() {
    TailnetHistory h = new TailnetHistory();
    h.apply(new UserCreatedEvent(1, "alice", null, "alice@example.com", null, null, null), T);
    h.apply(new UserCreatedEvent(2, "bob", null, "bob@example.com", null, null, null), T);
    h.apply(registered(1, "laptop", 1L), T);
    h.apply(registered(2, "db", 2L), T);
    h.apply(registered(3, "web", 2L), T);
    return h;
  }

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
  void shouldLetEveryNodeReachEveryOtherWithoutAPolicy() {
    PolicyReachView reach = PolicyReach.at(tailnet(), 1, T);

    assertThat(reach.policyVersion()).isZero();
    assertThat(reach.peers()).extracting(ReachablePeerView::name).containsExactly("db", "web");
    assertThat(reach.peers().get(0).ports()).containsExactly("*");
    assertThat(reach.packetFilter()).hasSize(1);
    // Tailscale's default policy: the tailnet's ranges as sources, not a bare "*"
    assertThat(reach.packetFilter().get(0).srcIps())
        .containsExactly(
            "100.115.94.0-100.127.255.255", "100.64.0.0-100.115.91.255", "fd7a:115c:a1e0::/48");
  }

  @Test
  void shouldReachOnlyTaggedServersOnTheirPortsUnderAPolicy() {
    TailnetHistory h = tailnet();
    h.apply(new PolicyChangedEvent(4, SSH_TO_SERVERS, "sha-4", null, ""), T.plusSeconds(1));
    h.apply(new NodeTagsChangedEvent(3, List.of(), List.of("tag:server"), 2L), T.plusSeconds(2));

    PolicyReachView reach = PolicyReach.at(h, 1, T.plusSeconds(3));

    assertThat(reach.policyVersion()).isEqualTo(4);
    assertThat(reach.policySha256()).isEqualTo("sha-4");
    assertThat(reach.policyChangedAt()).isEqualTo(T.plusSeconds(1));
    assertThat(reach.user()).isEqualTo("alice");
    assertThat(reach.packetFilter()).isEmpty();
    assertThat(reach.peers())
        .containsExactly(
            new ReachablePeerView(
                3, "web", List.of("100.64.0.3", "fd7a:115c:a1e0::3"), List.of("22", "80-81")));

    PolicyReachView server = PolicyReach.at(h, 3, T.plusSeconds(3));
    assertThat(server.tags()).containsExactly("tag:server");
    assertThat(server.user()).isNull();
    assertThat(server.packetFilter().get(0).srcIps())
        .containsExactly("100.64.0.1", "fd7a:115c:a1e0::1");
    assertThat(server.packetFilter().get(0).dstPorts())
        .contains("100.64.0.3:22", "[fd7a:115c:a1e0::3]:80-81");
    assertThat(server.peers()).isEmpty();
  }

  @Test
  void shouldAnswerNullForANodeThatDidNotExistYet() {
    assertThat(PolicyReach.at(tailnet(), 9, T)).isNull();
  }
}
