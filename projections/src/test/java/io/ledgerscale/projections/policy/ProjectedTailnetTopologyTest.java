// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRoutesAdvertisedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.query.CheckPolicyQuery;
import io.ledgerscale.domain.api.query.PolicyCheckView;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.projections.node.NodeProjection;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import io.ledgerscale.projections.user.UserProjection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The tailnet a policy is validated against, as the read models hold it, and the check that uses
 * it.
 */
class ProjectedTailnetTopologyTest {
  private ProjectedTailnetTopology topology;
  private EventFeed feed;

  @BeforeEach
  void setUp() {
    JdbcTemplate jdbc = ProjectionDatabase.fresh();
    topology = new ProjectedTailnetTopology(jdbc);
    feed = new EventFeed(new UserProjection(jdbc), new NodeProjection(jdbc));
    feed.publish(
        "user-1", new UserCreatedEvent(1, "alice", null, "alice@example.com", null, null, null));
    feed.publish(
        "node-1",
        new NodeRegisteredEvent(
            1,
            "mkey:1",
            "nodekey:1",
            "laptop",
            "laptop",
            1L,
            List.of(),
            "100.64.0.1",
            "fd7a:115c:a1e0::1",
            RegisterMethod.AUTH_KEY,
            1L,
            false,
            null));
    feed.publish(
        "node-2",
        new NodeRegisteredEvent(
            2,
            "mkey:2",
            "nodekey:2",
            "gw",
            "gw",
            1L,
            List.of(),
            "100.64.0.2",
            "fd7a:115c:a1e0::2",
            RegisterMethod.AUTH_KEY,
            1L,
            false,
            null));
    feed.publish("node-2", new NodeTagsChangedEvent(2, List.of(), List.of("tag:router"), 1L));
    feed.publish(
        "node-2",
        new NodeRoutesAdvertisedEvent(2, List.of(), List.of("10.1.0.0/16", "10.2.0.0/16")));
    feed.publish(
        "node-2",
        new NodeRoutesApprovedEvent(2, List.of(), List.of("10.1.0.0/16"), "autoApprovers"));
  }

  @Test
  void shouldReadUsersNodesTagsAndRoutes() {
    TailnetSnapshot now = topology.current();

    assertThat(now.user(1L).email()).isEqualTo("alice@example.com");
    assertThat(now.node(1))
        .isEqualTo(
            new TailnetNode(
                1,
                "laptop",
                IpAddress.parse("100.64.0.1"),
                IpAddress.parse("fd7a:115c:a1e0::1"),
                1L,
                Set.of(),
                List.of(),
                List.of()));
    TailnetNode gw = now.node(2);
    assertThat(gw.owningUserId()).isNull();
    assertThat(gw.tags()).containsExactly("tag:router");
    assertThat(gw.advertisedRoutes())
        .containsExactly(IpPrefix.parse("10.1.0.0/16"), IpPrefix.parse("10.2.0.0/16"));
    assertThat(gw.approvedRoutes()).containsExactly(IpPrefix.parse("10.1.0.0/16"));
  }

  @Test
  void canCheckAPolicyAgainstTheTailnetWithoutChangingAnything() {
    PolicyChecks checks = new PolicyChecks(topology);
    String reachable =
        """
        {"tagOwners": {"tag:router": ["alice@"]},
         "acls": [{"action": "accept", "src": ["alice@"], "dst": ["tag:router:22"]}],
         "tests": [{"src": "alice@", "accept": ["tag:router:22"]}]}""";

    assertThat(checks.handle(new CheckPolicyQuery(reachable)))
        .isEqualTo(new PolicyCheckView(true, List.of()));
    PolicyCheckView failing =
        checks.handle(
            new CheckPolicyQuery(
                reachable.replace("\"tag:router:22\"]}]}", "\"tag:router:23\"]}]}")));
    assertThat(failing.valid()).isFalse();
    assertThat(failing.errors())
        .singleElement()
        .asString()
        .contains("test(s) failed", "tag:router:23 expected ALLOWED, got DENIED");
    PolicyCheckView broken =
        checks.handle(
            new CheckPolicyQuery("{\n  \"acls\": [\n    {\"action\": \"allow\"}\n  ]\n}"));
    assertThat(broken.valid()).isFalse();
    assertThat(broken.errors().get(0)).contains("(line 3, column");
  }
}
