// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static io.ledgerscale.gateway.map.MapBuilderTest.NOW;
import static io.ledgerscale.gateway.map.MapBuilderTest.node;
import static io.ledgerscale.gateway.map.MapBuilderTest.reach;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.gateway.machine.MapSink;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamViewsTest {
  private final MapBuilder builder = new MapBuilder(MapBuilderTest.SETTINGS);
  private final StreamViews views = new StreamViews(builder);
  private final List<UserView> users =
      List.of(new UserView(1, "alice", "Alice", "alice@example.com", null, null, null, NOW));
  private final List<NodeView> nodes =
      List.of(
          node(1, "one", 1, List.of(), null),
          node(2, "two", 1, List.of(), null),
          node(3, "three", 1, List.of(), null));

  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void close() {
    views.close();
    worker.shutdownNow();
  }

  @Test
  void aStreamIsToldOnlyOfChangesQueuedAfterItsFirstViewWasBuilt() {
    // nodes 2 and 3 report in (changes 1 and 2); node 3's stream opens after both
    Map<Long, NodeConnectivity> early = new HashMap<>();
    early.put(1L, reach(1, "discokey:" + "01".repeat(32), "192.0.2.1:1"));
    MapSnapshot before = MapSnapshot.of(nodes, users, null, early, Set.of());
    Map<Long, NodeConnectivity> all = new HashMap<>(early);
    all.put(2L, reach(2, "discokey:" + "02".repeat(32), "192.0.2.2:1"));
    all.put(3L, reach(3, "discokey:" + "03".repeat(32), "192.0.2.3:1"));
    MapSnapshot after = MapSnapshot.of(nodes, users, null, all, Set.of());
    MapSession one = session(1, builder.build(1, before, NOW), 0);
    MapSession three = session(3, builder.build(3, after, NOW), 2);
    ChangeQueue queue = new ChangeQueue(worker, MapBuilderTest.SETTINGS, () -> {});
    queue.add(2, Set.of(), null, true);
    queue.add(3, Set.of(), null, true);
    StreamViews.Changes changes = new StreamViews.Changes(queue, null);

    MapBuilder.Patched forOne = views.changesFor(one, changes, after, NOW, new SharedDeltas());
    MapBuilder.Patched forThree = views.changesFor(three, changes, after, NOW, new SharedDeltas());

    assertThat(forOne.delta().peersChanged()).extracting(n -> n.id()).containsExactly(2L, 3L);
    // its first view holds both changes, its own included: left as it is, not rebuilt
    assertThat(forThree.delta()).isNull();
    assertThat(forThree.map()).isSameAs(three.sent);
    // what a complete rebuild would tell it: nothing either
    assertThat(views.rebuilt(three, after, NOW).delta()).isNull();
  }

  private static MapSession session(long id, NodeMap view, long toldUpTo) {
    return new MapSession(
        "nodekey:" + String.format("%064x", id),
        id,
        new MapSink() {
          @Override
          public void send(MapResponse message) {}

          @Override
          public void close() {}
        },
        view,
        toldUpTo);
  }
}
