// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeHostnameChangedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.FetchInactiveEphemeralNodesQuery;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.FindNodeByNodeKeyQuery;
import io.ledgerscale.domain.api.query.FindNodeQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import io.ledgerscale.projections.connectivity.JdbcConnectivityStore;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import io.ledgerscale.projections.user.UserProjection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class NodeProjectionTest {
  private static final Instant EXPIRY = Instant.parse("2027-05-01T00:00:00Z");
  private NodeProjection nodes;
  private EventFeed feed;
  private JdbcTemplate jdbc;

  @BeforeEach
  void setUp() {
    jdbc = ProjectionDatabase.fresh();
    nodes = new NodeProjection(jdbc);
    feed = new EventFeed(new UserProjection(jdbc), nodes);
    feed.publish("user-1", new UserCreatedEvent(1, "alice", null, null, null, null, null));
  }

  private void registerPersonal() {
    feed.publish(
        "node-5",
        new NodeRegisteredEvent(
            5,
            "mkey:a",
            "nodekey:a",
            "laptop",
            "laptop",
            1L,
            List.of(),
            "100.64.0.1",
            "fd7a:115c:a1e0::1",
            RegisterMethod.AUTH_KEY,
            3L,
            false,
            EXPIRY));
  }

  @Test
  void canShowRegisteredNodeWithOwnerAddressesAndMethod() {
    registerPersonal();

    NodeView node = nodes.handle(new FindNodeQuery(5));
    assertThat(node.userId()).isEqualTo(1);
    assertThat(node.userName()).isEqualTo("alice");
    assertThat(node.ipAddresses()).containsExactly("100.64.0.1", "fd7a:115c:a1e0::1");
    assertThat(node.registerMethod()).isEqualTo("REGISTER_METHOD_AUTH_KEY");
    assertThat(node.preAuthKeyId()).isEqualTo(3L);
    assertThat(node.expiry()).isEqualTo(EXPIRY);
    assertThat(node.createdAt()).isEqualTo(feed.now());
    assertThat(node.givenName()).isEqualTo("laptop");
  }

  @Test
  void shouldShowWhetherTheNodeIsOnlineAndWhenItWasLastSeenFromWhatItsClientReported() {
    registerPersonal();
    assertThat(nodes.handle(new FindNodeQuery(5)).online()).isFalse();
    Instant seen = Instant.parse("2026-11-22T10:00:00Z");

    new io.ledgerscale.projections.connectivity.JdbcConnectivityStore(jdbc)
        .setOnline(5, true, "instance-a", seen);

    NodeView node = nodes.handle(new FindNodeQuery(5));
    assertThat(node.online()).isTrue();
    assertThat(node.lastSeen()).isEqualTo(seen);
    assertThat(nodes.handle(new FetchNodesQuery(null)))
        .extracting(NodeView::online)
        .containsExactly(true);
  }

  @Test
  void shouldOwnTaggedNodesByTaggedDevices() {
    feed.publish(
        "node-6",
        new NodeRegisteredEvent(
            6,
            "mkey:b",
            "nodekey:b",
            "db",
            "db",
            null,
            List.of("tag:server"),
            "100.64.0.2",
            null,
            RegisterMethod.AUTH_KEY,
            4L,
            false,
            null));

    NodeView node = nodes.handle(new FindNodeQuery(6));
    assertThat(node.userId()).isEqualTo(TaggedDevices.USER_ID);
    assertThat(node.userName()).isEqualTo("tagged-devices");
    assertThat(node.tags()).containsExactly("tag:server");
    assertThat(nodes.handle(new FetchNodesQuery(TaggedDevices.USER_ID)))
        .extracting(NodeView::id)
        .containsExactly(6L);
    assertThat(nodes.handle(new FetchNodesQuery(1L))).isEmpty();
  }

  @Test
  void shouldMoveNodeToTaggedDevicesWhenTaggedAndToUserWhenTransferred() {
    registerPersonal();
    feed.publish("node-5", new NodeTagsChangedEvent(5, List.of(), List.of("tag:web"), 1L));
    assertThat(nodes.handle(new FindNodeQuery(5)).userId()).isEqualTo(TaggedDevices.USER_ID);
    assertThat(nodes.handle(new FindNodeQuery(5)).tags()).containsExactly("tag:web");

    feed.publish(
        "node-5",
        new NodeOwnershipTransferredEvent(5, null, 1L, List.of("tag:web"), "back to alice"));
    NodeView node = nodes.handle(new FindNodeQuery(5));
    assertThat(node.userId()).isEqualTo(1);
    assertThat(node.tags()).isEmpty();
  }

  @Test
  void shouldTakeNewNodeKeyAndExpiryOnReauthentication() {
    registerPersonal();
    Instant later = Instant.parse("2027-09-01T00:00:00Z");
    feed.publish(
        "node-5",
        new NodeReauthenticatedEvent(
            5, "mkey:a", "nodekey:a", "nodekey:b", RegisterMethod.AUTH_KEY, 7L, later));

    NodeView node = nodes.handle(new FindNodeQuery(5));
    assertThat(node.nodeKey()).isEqualTo("nodekey:b");
    assertThat(node.expiry()).isEqualTo(later);
  }

  @Test
  void shouldTakeNewNodeKeyAndExpiryOnKeyRotation() {
    registerPersonal();
    NodeView before = nodes.handle(new FindNodeQuery(5));
    Instant later = Instant.parse("2027-10-01T00:00:00Z");
    feed.publish(
        "node-5", new NodeKeyRotatedEvent(5, "mkey:a", "nodekey:a", "nodekey:c", 7L, later));

    NodeView node = nodes.handle(new FindNodeQuery(5));
    assertThat(node.nodeKey()).isEqualTo("nodekey:c");
    assertThat(node.expiry()).isEqualTo(later);
    assertThat(node.ipAddresses()).isEqualTo(before.ipAddresses());
    assertThat(node.givenName()).isEqualTo(before.givenName());
  }

  @Test
  void shouldFollowHostnameRenameExpiryRoutesTransferAndUserRename() {
    registerPersonal();
    feed.publish("user-2", new UserCreatedEvent(2, "bob", null, null, null, null, null));
    feed.publish("node-5", new NodeHostnameChangedEvent(5, "laptop", "Work Laptop"));
    feed.publish("node-5", new NodeRenamedEvent(5, "laptop", "work-laptop"));
    feed.publish("node-5", new NodeExpiryChangedEvent(5, EXPIRY, null));
    feed.publish("node-5", new NodeRoutesApprovedEvent(5, List.of(), List.of("10.0.0.0/24")));
    feed.publish(
        "node-5", new NodeOwnershipTransferredEvent(5, 1L, 2L, List.of(), "left the team"));
    feed.publish("user-2", new UserRenamedEvent(2, "bob", "robert"));

    NodeView node = nodes.handle(new FindNodeQuery(5));
    assertThat(node.hostname()).isEqualTo("Work Laptop");
    assertThat(node.givenName()).isEqualTo("work-laptop");
    assertThat(node.expiry()).isNull();
    assertThat(node.approvedRoutes()).containsExactly("10.0.0.0/24");
    assertThat(node.userId()).isEqualTo(2);
    assertThat(node.userName()).isEqualTo("robert");
  }

  @Test
  void shouldDropTagsRemovedByTransfer() {
    feed.publish(
        "node-6",
        new NodeRegisteredEvent(
            6,
            "mkey:b",
            "nodekey:b",
            "db",
            "db",
            null,
            List.of("tag:server", "tag:db"),
            "100.64.0.2",
            null,
            RegisterMethod.AUTH_KEY,
            4L,
            false,
            null));
    feed.publish(
        "node-6",
        new NodeOwnershipTransferredEvent(6, null, 1L, List.of("tag:server", "tag:db"), "adopt"));

    NodeView node = nodes.handle(new FindNodeQuery(6));
    assertThat(node.userId()).isEqualTo(1);
    assertThat(node.tags()).isEmpty();
  }

  @Test
  void cannotFindDeletedNode() {
    registerPersonal();
    feed.publish("node-5", new NodeDeletedEvent(5, "laptop", List.of("100.64.0.1")));

    assertThat(nodes.handle(new FindNodeQuery(5))).isNull();
    assertThat(nodes.handle(new FetchNodesQuery(null))).isEmpty();
  }

  private void registerEphemeral(long id, String nodeKey) {
    feed.publish(
        "node-" + id,
        new NodeRegisteredEvent(
            id,
            "mkey:" + id,
            nodeKey,
            "ci-" + id,
            "ci-" + id,
            1L,
            List.of(),
            "100.64.0." + id,
            null,
            RegisterMethod.AUTH_KEY,
            3L,
            true,
            null));
  }

  @Test
  void canFindANodeByItsCurrentNodeKeyOnly() {
    registerPersonal();
    registerEphemeral(8, "nodekey:b");

    assertThat(nodes.handle(new FindNodeByNodeKeyQuery("nodekey:a")).id()).isEqualTo(5);
    // Go prints keys in lower case; a client's upper-case spelling is the same key
    assertThat(nodes.handle(new FindNodeByNodeKeyQuery("NODEKEY:B")).id()).isEqualTo(8);
    assertThat(nodes.handle(new FindNodeByNodeKeyQuery("nodekey:z"))).isNull();
    assertThat(nodes.handle(new FindNodeByNodeKeyQuery(null))).isNull();

    feed.publish(
        "node-5",
        new NodeKeyRotatedEvent(5, "mkey:a", "nodekey:a", "nodekey:c", 7L, EXPIRY.plusSeconds(1)));

    assertThat(nodes.handle(new FindNodeByNodeKeyQuery("nodekey:a"))).isNull();
    NodeView rotated = nodes.handle(new FindNodeByNodeKeyQuery("nodekey:c"));
    assertThat(rotated.id()).isEqualTo(5);
    assertThat(rotated.machineKey()).isEqualTo("mkey:a");
    assertThat(rotated.userName()).isEqualTo("alice");
  }

  @Test
  void shouldLookUpANodeKeyThroughItsIndexInAFleetNotAnalyzedYet() {
    // a fleet registering: thousands of rows the planner has no statistics for yet
    jdbc.update(
        "INSERT INTO node_view (id, machine_key, node_key, disco_key, ipv4, ipv6, hostname,"
            + " given_name, user_id, expiry, pre_auth_key_id, created_at, register_method)"
            + " SELECT i, 'mkey:' || md5('m' || i) || md5('M' || i), 'nodekey:' || md5(i::text)"
            + " || md5('n' || i), 'discokey:' || md5('d' || i) || md5('D' || i),"
            + " '100.64.' || (i / 256) || '.' || (i % 256), 'fd7a:115c:a1e0::' || to_hex(i),"
            + " 'node-' || i, 'node-' || i, 1, now() + interval '180 days', 1, now(),"
            + " 'REGISTER_METHOD_AUTH_KEY' FROM generate_series(1, 3000) AS i");

    String plan =
        String.join(
            "\n",
            jdbc.queryForList(
                "EXPLAIN "
                    + NodeProjection.BY_NODE_KEY.replace(
                        "?", "'NODEKEY:' || md5('2999') || md5('n2999')"),
                String.class));

    // walking the primary key and lowering every key until one matches was what the planner
    // chose for the lookup joined and ordered by id
    assertThat(plan).contains("node_view_node_key").doesNotContain("node_view_pkey");
    assertThat(
            nodes.handle(new FindNodeByNodeKeyQuery("nodekey:" + md5("2999") + md5("n2999"))).id())
        .isEqualTo(2999);
  }

  private String md5(String s) {
    return jdbc.queryForObject("SELECT md5(?)", String.class, s);
  }

  @Test
  void shouldAnswerTheNodeKeyLookupAndTheEphemeralSweepFromIndexes() {
    registerPersonal();

    List<String> plans =
        jdbc.execute(
            (java.sql.Connection c) -> {
              List<String> out = new ArrayList<>();
              try (Statement st = c.createStatement()) {
                // a tiny table would be scanned anyway; forbid that to see which index is usable
                st.execute("SET enable_seqscan = off");
                for (String q :
                    List.of(
                        "EXPLAIN SELECT * FROM node_view n WHERE lower(n.node_key) = lower('nodekey:a')",
                        "EXPLAIN SELECT * FROM node_view n WHERE n.ephemeral ORDER BY n.id")) {
                  StringBuilder plan = new StringBuilder();
                  try (ResultSet rs = st.executeQuery(q)) {
                    while (rs.next()) {
                      plan.append(rs.getString(1)).append('\n');
                    }
                  }
                  out.add(plan.toString());
                }
                st.execute("RESET enable_seqscan");
              }
              return out;
            });

    assertThat(plans.get(0)).contains("node_view_node_key");
    assertThat(plans.get(1)).contains("node_view_ephemeral");
  }

  @Test
  void shouldListOnlyEphemeralNodesOfflineSinceBeforeTheCutoff() {
    registerPersonal(); // not ephemeral: never a candidate
    registerEphemeral(8, "nodekey:b"); // never seen: its creation counts
    Instant createdEight = feed.now();
    registerEphemeral(9, "nodekey:c"); // seen recently
    registerEphemeral(10, "nodekey:d"); // seen long ago
    JdbcConnectivityStore connectivity = new JdbcConnectivityStore(jdbc);
    Instant cutoff = feed.now().plusSeconds(3600);
    connectivity.setOnline(9, false, "instance-a", cutoff.plusSeconds(60));
    connectivity.setOnline(10, false, "instance-a", cutoff.minusSeconds(60));

    assertThat(nodes.handle(new FetchInactiveEphemeralNodesQuery(cutoff)))
        .extracting(NodeView::id)
        .containsExactly(8L, 10L);
    assertThat(nodes.handle(new FetchInactiveEphemeralNodesQuery(createdEight)))
        .extracting(NodeView::id)
        .isEmpty();
    assertThat(nodes.handle(new FetchInactiveEphemeralNodesQuery(createdEight.plusMillis(1))))
        .extracting(NodeView::id)
        .containsExactly(8L);
  }
}
