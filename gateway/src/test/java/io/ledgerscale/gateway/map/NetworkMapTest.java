// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.connectivity.ConnectivityReport;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.gateway.machine.InMemoryStreams;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.tailcfg.DNSConfig;
import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The map driven directly, with streams in memory: a one-node change reaches exactly the streams
 * whose view it changes, and leaves every stream where a complete re-evaluation would have put it.
 */
class NetworkMapTest {
  private static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");
  private static final String POLICY =
      """
      {
        "tagOwners": {"tag:server": ["alice@example.com"]},
        "acls": [
          {"action": "accept", "src": ["alice@example.com"], "dst": ["alice@example.com:*"]},
          {"action": "accept", "src": ["bob@example.com"], "dst": ["tag:server:22"]},
          {"action": "accept", "src": ["carol@example.com"], "dst": ["carol@example.com:*"]},
        ],
      }
      """;

  private final InMemoryReadModels readModels = new InMemoryReadModels();
  private MapStreams streams = new MapStreams();
  // every change goes out at once, so settle() sees it
  private NetworkMap map = mapBatchingFor(Duration.ZERO);

  private final Map<Long, InMemoryStreams.Collecting> open = new LinkedHashMap<>();

  @AfterEach
  void close() {
    map.close();
  }

  private NetworkMap mapBatchingFor(Duration delay) {
    return new NetworkMap(
        new TailnetLoader(readModels.queries, readModels),
        readModels,
        streams,
        MapBuilderTest.SETTINGS.withBatchChangeDelay(delay),
        Clock.systemUTC());
  }

  @Test
  void shouldSendATagChangeOnlyToTheStreamsWhoseViewItChanges() {
    users();
    readModels.policy = new PolicyView(1, POLICY, CREATED);
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    node(3, "carol-laptop", 3, List.of());
    node(4, "alice-box", 1, List.of());
    node(5, "carol-phone", 3, List.of());
    connectAll();

    readModels.nodes.put(4L, view(4, "alice-box", TaggedDevices.USER_ID, List.of("tag:server")));
    map.nodeChanged(4, Instant.now());
    settle();

    // alice's laptop loses the box (now tagged), bob gains it, the box itself sees bob and gets
    // bob's filter rule
    assertThat(single(1).peersRemoved()).containsExactly(4L);
    assertThat(single(2).peersChanged()).extracting(n -> n.id()).containsExactly(4L);
    assertThat(single(2).userProfiles()).extracting(p -> p.id()).contains(TaggedDevices.USER_ID);
    MapResponse box = single(4);
    assertThat(box.node().tags()).containsExactly("tag:server");
    assertThat(box.packetFilter()).isNotNull();
    // carol's nodes see neither before nor after: not a byte for them
    assertThat(open.get(3L).sent).isEmpty();
    assertThat(open.get(5L).sent).isEmpty();

    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void shouldKeepUpdatingAReconnectedStreamWhenItsOldStreamEndsLate() {
    users();
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    connectAll();
    InMemoryStreams.Collecting old = open.get(1L);

    // a storm: the client already asks for its new stream while the server still holds the old one
    InMemoryStreams.Collecting fresh = new InMemoryStreams.Collecting();
    assertThat(map.openStream(machine(1), request(1), fresh).join()).isPresent();
    // then the old one is noticed as ended (it was still the node's registered stream) ...
    streams.unregister(key(1), old);
    settle();
    // ... and only then does the new one get registered
    streams.register(key(1), fresh);
    settle();

    readModels.nodes.put(2L, view(2, "bob-renamed", 2, List.of()));
    map.nodeChanged(2, Instant.now());
    settle();

    assertThat(fresh.sent)
        .as("the new stream of a client that reconnected gets the change")
        .flatExtracting(r -> r.peersChanged() == null ? List.of() : r.peersChanged())
        .extracting(n -> n.name())
        .anyMatch(name -> name.startsWith("bob-renamed"));
  }

  @Test
  void shouldQueueNoChangeWhenANodesRowComesBackFromTheStoreAsTheSameHostinfoInOtherText() {
    users();
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    connectAll();
    NodeConnectivity row = readModels.find(1).orElseThrow();
    long queued = map.changesQueued().join();

    // the same report as PostgreSQL's jsonb gives it back: keys reordered, spaces added
    readModels.report(
        new ConnectivityReport(
            1,
            row.endpoints(),
            row.discoKey(),
            row.homeDerp(),
            "{\"OS\": \"linux\", \"Hostname\": \"alice-laptop\"}",
            "another-instance",
            Instant.now()));
    settle();

    assertThat(map.changesQueued().join()).as("changes queued for the streams").isEqualTo(queued);
    assertThat(open.get(2L).sent).as("messages to bob").isEmpty();
    assertThat(open.get(1L).sent).as("messages to alice").isEmpty();

    // a Hostinfo that says something else is passed on
    readModels.report(
        new ConnectivityReport(
            1,
            row.endpoints(),
            row.discoKey(),
            row.homeDerp(),
            "{\"OS\": \"linux\", \"Hostname\": \"alice-desk\"}",
            "another-instance",
            Instant.now()));
    settle();
    assertThat(open.get(2L).sent).as("messages to bob").isNotEmpty();
  }

  /** A stream whose next message holds up the map's worker, once. */
  private static final class Stalling extends InMemoryStreams.Collecting {
    volatile long stallMillis;

    @Override
    public void send(MapResponse message) {
      long ms = stallMillis;
      stallMillis = 0;
      if (ms > 0) {
        try {
          Thread.sleep(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      super.send(message);
    }
  }

  private static boolean toldOffline(List<MapResponse> sent, long id) {
    return sent.stream()
        .anyMatch(
            r ->
                (r.onlineChange() != null
                        && Boolean.FALSE.equals(r.onlineChange().get(Long.toString(id))))
                    || (r.peersChanged() != null
                        && r.peersChanged().stream()
                            .anyMatch(n -> n.id() == id && Boolean.FALSE.equals(n.online()))));
  }

  @Test
  void shouldNotReportOfflineANodeWhoseNewStreamIsOnItsWayWhenTheGraceEnds() throws Exception {
    map.close();
    streams = new MapStreams();
    map =
        new NetworkMap(
            new TailnetLoader(readModels.queries, readModels),
            readModels,
            streams,
            MapBuilderTest.SETTINGS.withBatchChangeDelay(Duration.ZERO),
            Clock.systemUTC(),
            Duration.ofMillis(300));
    users();
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    connect(1);
    Stalling bob = new Stalling();
    assertThat(map.openStream(machine(2), request(2), bob).join()).isPresent();
    streams.register(key(2), bob);
    settle();
    bob.sent.clear();

    // alice's client reconnects, as in a fleet's storm: her old stream ends, the map's worker is
    // busy beyond the grace, and her new stream is asked for meanwhile ...
    streams.unregister(key(1), open.get(1L));
    bob.stallMillis = 600;
    map.extraDnsRecords(List.of());
    InMemoryStreams.Collecting fresh = new InMemoryStreams.Collecting();
    assertThat(map.openStream(machine(1), request(1), fresh).join()).isPresent();
    // ... and is answered, but registered only after the next look
    Thread.sleep(NetworkMap.OFFLINE_RECHECK.toMillis() + 200);
    streams.register(key(1), fresh);
    Thread.sleep(NetworkMap.OFFLINE_RECHECK.toMillis() + 200);
    settle();

    assertThat(toldOffline(bob.sent, 1)).as("bob told that alice went offline").isFalse();

    // gone for good: offline after the grace
    streams.unregister(key(1), fresh);
    Thread.sleep(500);
    settle();
    assertThat(toldOffline(bob.sent, 1)).as("bob told that alice went offline").isTrue();
  }

  @Test
  void shouldTellEachStreamABurstOfChangesInOneMessage() throws InterruptedException {
    map.close();
    streams = new MapStreams();
    map = mapBatchingFor(Duration.ofSeconds(2));
    users();
    node(1, "alice-laptop", 1, List.of());
    connectAll();
    // the first change after a quiet spell goes out at once
    node(2, "bob-2", 2, List.of());
    map.nodeChanged(2, Instant.now());
    open.put(2L, InMemoryStreams.open(map, streams, machine(2), request(2)).orElseThrow());
    settle();
    open.get(1L).sent.clear();

    // twenty nodes join within the batch delay, as a fleet connecting at once
    for (long id = 3; id <= 22; id++) {
      node(id, "bob-" + id, 2, List.of());
      map.nodeChanged(id, Instant.now());
      open.put(id, InMemoryStreams.open(map, streams, machine(id), request(id)).orElseThrow());
    }
    settle();
    assertThat(open.get(1L).sent).as("nothing before the batch delay is over").isEmpty();
    Thread.sleep(2_500);
    settle();

    List<MapResponse> sent = open.get(1L).sent;
    assertThat(sent).as("one message for the whole burst").hasSize(1);
    assertThat(sent.get(0).peersChanged())
        .extracting(n -> n.id())
        .containsAll(java.util.stream.LongStream.rangeClosed(3, 22).boxed().toList());
  }

  @Test
  void aStreamOpenedDuringABurstIsToldOnlyWhatChangedAfterItsFirstMap()
      throws InterruptedException {
    batchingForTwoSecondsAfterAQuietSpell(() -> node(1, "alice-laptop", 1, List.of()), 1);

    // ten nodes join within one batch delay, each opening its stream as it joins
    for (long id = 3; id <= 12; id++) {
      node(id, "bob-" + id, 2, List.of());
      map.nodeChanged(id, Instant.now());
      open.put(id, InMemoryStreams.open(map, streams, machine(id), request(id)).orElseThrow());
    }
    Thread.sleep(2_500);
    settle();

    // the first stream of the burst learns of the nine that joined after it, in one message
    assertThat(single(3).peersChanged())
        .extracting(n -> n.id())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.LongStream.rangeClosed(4, 12).boxed().toList());
    assertThat(single(1).peersChanged()).hasSize(10);
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void aReportAnotherInstanceStoredReachesThePeersOnceThisInstanceHoldsTheNodesStream() {
    users();
    node(1, "alice-laptop", 1, List.of());
    connectAll();
    readModels.nodes.put(2L, view(2, "bob-laptop", 2, List.of()));
    map.nodeChanged(2, Instant.now());
    settle();

    // the client reported to another instance (its row is stored, its notice not here yet), then
    // opened its stream here: this instance's presence is merged into that row at the same instant
    readModels.put(reported(2, "bob-laptop"));
    connect(2);

    assertThat(open.get(1L).sent)
        .flatExtracting(m -> m.peersChanged() == null ? List.of() : m.peersChanged())
        .filteredOn(n -> n.id() == 2L)
        .extracting(n -> n.discoKey())
        .containsExactly(disco(2));
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void aStreamWhoseClientFellBehindIsToldEverythingItMissedInOneMessageOnceItCaughtUp() {
    users();
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    connectAll();
    Behind slow = fallenBehind(1);

    // changes in several flushes while node 1's client is still reading an earlier message
    for (long id = 3; id <= 6; id++) {
      node(id, "carol-" + id, 3, List.of());
      map.nodeChanged(id, Instant.now());
      connect(id);
    }
    readModels.nodes.put(2L, view(2, "bob-renamed", 2, List.of()));
    map.nodeChanged(2, Instant.now());
    settle();
    assertThat(slow.sent).as("nothing piles up behind the unread message").isEmpty();
    assertThat(open.get(2L).sent).as("the others are told meanwhile").isNotEmpty();

    slow.catchUp();
    settle();

    assertThat(slow.sent).as("one message once it caught up").hasSize(1);
    MapResponse missed = slow.sent.get(0);
    assertThat(missed.peersChanged())
        .extracting(n -> n.id())
        .containsExactlyInAnyOrder(2L, 3L, 4L, 5L, 6L);
    assertThat(missed.peersChanged())
        .filteredOn(n -> n.id() == 2L)
        .extracting(n -> n.name())
        .allMatch(name -> name.startsWith("bob-renamed"));
    open.put(1L, slow);
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void streamsThatAskWhileTheMapIsBusyGetFirstMapsHoldingEachOther() throws Exception {
    users();
    node(1, "alice-laptop", 1, List.of());
    connectAll();
    node(2, "bob-laptop", 2, List.of());
    map.nodeChanged(2, Instant.now());
    Holding holding = new Holding();
    assertThat(map.openStream(machine(2), request(2), holding).join()).isPresent();
    streams.register(key(2), holding);
    settle();

    // the map's worker is held up passing on a change (it asks the held stream whether it is
    // behind) while five new nodes ask for their first maps, each reporting its disco key
    holding.hold.set(true);
    readModels.nodes.put(2L, view(2, "bob-renamed", 2, List.of()));
    map.nodeChanged(2, Instant.now());
    assertThat(holding.entered.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    Map<Long, java.util.concurrent.CompletableFuture<java.util.Optional<MapResponse>>> firsts =
        new LinkedHashMap<>();
    Map<Long, InMemoryStreams.Collecting> fresh = new LinkedHashMap<>();
    for (long id = 3; id <= 7; id++) {
      readModels.nodes.put(id, view(id, "carol-" + id, 3, List.of()));
      map.nodeChanged(id, Instant.now());
      fresh.put(id, new InMemoryStreams.Collecting());
      firsts.put(id, map.openStream(machine(id), reporting(id), fresh.get(id)));
    }
    holding.release.countDown();

    for (long id = 3; id <= 7; id++) {
      MapResponse first = firsts.get(id).join().orElseThrow();
      long self = id;
      assertThat(first.peers())
          .as("node %d's first map", id)
          .extracting(n -> n.id())
          .containsAll(
              java.util.stream.LongStream.rangeClosed(3, 7)
                  .filter(p -> p != self)
                  .boxed()
                  .toList());
      streams.register(key(id), fresh.get(id));
      open.put(id, fresh.get(id));
    }
    settle();
    open.put(2L, holding);
    assertThatAFullReevaluationSendsNothingMore();
  }

  /** A stream that holds up the map's worker, once, when asked whether it is behind. */
  private static final class Holding extends InMemoryStreams.Collecting {
    final java.util.concurrent.atomic.AtomicBoolean hold =
        new java.util.concurrent.atomic.AtomicBoolean();
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    @Override
    public boolean behind(Runnable caughtUp) {
      if (hold.getAndSet(false)) {
        entered.countDown();
        try {
          release.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return false;
    }
  }

  @Test
  void aPolicyChangeReachesAStreamWhoseClientFellBehindOnceItCaughtUp() {
    users();
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    node(3, "carol-laptop", 3, List.of());
    connectAll();
    Behind slow = fallenBehind(1);

    // alice's nodes see only alice's from now on
    readModels.policy = new PolicyView(1, POLICY, CREATED);
    map.changed(Instant.now());
    settle();
    assertThat(slow.sent).isEmpty();
    assertThat(open.get(2L).sent).as("the others are told meanwhile").isNotEmpty();

    slow.catchUp();
    settle();

    assertThat(slow.sent).hasSize(1);
    assertThat(slow.sent.get(0).peersRemoved()).containsExactlyInAnyOrder(2L, 3L);
    open.put(1L, slow);
    assertThatAFullReevaluationSendsNothingMore();
  }

  /** A second stream of the node, whose client reads nothing from now on. */
  private Behind fallenBehind(long id) {
    Behind slow = new Behind();
    assertThat(map.openStream(machine(id), request(id), slow).join()).isPresent();
    streams.register(key(id), slow);
    settle();
    slow.backlogged = true;
    return slow;
  }

  /** A stream whose client is behind until {@link #catchUp}. */
  private static final class Behind extends InMemoryStreams.Collecting {
    volatile boolean backlogged;
    private final java.util.concurrent.atomic.AtomicReference<Runnable> caughtUp =
        new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    public boolean behind(Runnable r) {
      if (!backlogged) {
        return false;
      }
      caughtUp.set(r);
      return backlogged || !caughtUp.compareAndSet(r, null);
    }

    void catchUp() {
      backlogged = false;
      Runnable r = caughtUp.getAndSet(null);
      if (r != null) {
        r.run();
      }
    }
  }

  @Test
  void shouldSendANodeItsNewEndpointsWithThePeersThatJoinedInTheSameBatch()
      throws InterruptedException {
    batchingForTwoSecondsAfterAQuietSpell(
        () -> {
          node(1, "alice-laptop", 1, List.of());
          node(2, "bob-laptop", 2, List.of());
        },
        2);

    // within one batch: node 1 reports new endpoints, node 3 joins
    assertThat(map.liteUpdate(machine(1), endpointsOf(1, "198.51.100.1:41641")).join()).isTrue();
    node(3, "carol-laptop", 3, List.of());
    map.nodeChanged(3, Instant.now());
    connect(3);
    Thread.sleep(2_500);
    settle();

    MapResponse own = single(1);
    assertThat(own.node()).as("its own entry, afresh").isNotNull();
    assertThat(own.node().endpoints()).containsExactly("198.51.100.1:41641");
    assertThat(own.peersChanged()).extracting(n -> n.id()).containsExactly(3L);
    assertThat(own.peers()).as("a delta, not a full map").isNull();
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void shouldStillPassOnAPeersConnectivityAfterTakingInANodeWhoseEventIsLate() {
    users();
    node(1, "alice-laptop", 1, List.of());
    connectAll();
    // node 3 is announced before its client reported a disco key: nobody can reach it yet
    readModels.nodes.put(3L, view(3, "carol-laptop", 3, List.of()));
    map.nodeChanged(3, Instant.now());
    settle();
    assertThat(open.get(1L).sent).isEmpty();
    // then its client reports in; the notification of that is still on its way
    NodeConnectivity reported =
        new NodeConnectivity(
            3, List.of("192.0.2.3:41641"), disco(3), 900, null, false, CREATED, "test", CREATED);
    readModels.put(reported);

    // node 2 asks for its map before its own registration event reached the map
    node(2, "bob-laptop", 2, List.of());
    connect(2);
    // the notification arrives
    readModels.report(
        new ConnectivityReport(3, reported.endpoints(), disco(3), 900, null, "test", CREATED));
    settle();

    assertThat(open.get(1L).sent)
        .anySatisfy(r -> assertThat(r.peersChanged()).extracting(n -> n.id()).contains(3L));
    assertThatAFullReevaluationSendsNothingMore();
  }

  /** A streaming map request that reports the node's disco key and an endpoint. */
  private static MapRequest reporting(long id) {
    return new MapRequest(
        113,
        null,
        true,
        key(id),
        disco(id),
        true,
        false,
        null,
        List.of("192.0.2." + id + ":41641"),
        null,
        null,
        null,
        null,
        false);
  }

  private static MapRequest endpointsOf(long id, String endpoint) {
    return new MapRequest(
        113,
        null,
        false,
        key(id),
        disco(id),
        false,
        true,
        null,
        List.of(endpoint),
        null,
        null,
        null,
        null,
        false);
  }

  @Test
  void shouldPatchOnlyTheChangedPeerOnAnEndpointChange() {
    users();
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    node(3, "carol-laptop", 3, List.of());
    connectAll();

    MapRequest lite =
        new MapRequest(
            113,
            null,
            false,
            key(2),
            disco(2),
            false,
            true,
            null,
            List.of("198.51.100.2:41641"),
            null,
            null,
            null,
            null,
            false);
    assertThat(map.liteUpdate(machine(2), lite).join()).isTrue();
    settle();

    for (long viewer : List.of(1L, 3L)) {
      MapResponse r = single(viewer);
      assertThat(r.peersChangedPatch()).hasSize(1);
      assertThat(r.peersChangedPatch().get(0).endpoints()).containsExactly("198.51.100.2:41641");
      assertThat(r.peersChanged()).isNull();
    }
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void shouldTellPeersANewNodeAndStillAgreeWithAFullReevaluation() {
    users();
    readModels.policy = new PolicyView(1, POLICY, CREATED);
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    connectAll();

    node(6, "alice-phone", 1, List.of());
    map.nodeChanged(6, Instant.now());
    settle();
    connect(6);

    assertThat(open.get(1L).sent)
        .anySatisfy(r -> assertThat(r.peersChanged()).extracting(n -> n.id()).contains(6L));
    assertThat(open.get(2L).sent).isEmpty();
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void shouldTellADeletionOnlyToTheStreamsThatSawTheNodeAndCloseItsOwn() {
    users();
    readModels.policy = new PolicyView(1, POLICY, CREATED);
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    node(3, "carol-laptop", 3, List.of());
    readModels.nodes.put(4L, view(4, "server", TaggedDevices.USER_ID, List.of("tag:server")));
    node(4, "server", TaggedDevices.USER_ID, List.of("tag:server"));
    node(6, "alice-phone", 1, List.of());
    connectAll();

    readModels.nodes.remove(4L);
    readModels.forget(4L);
    map.nodeDeleted(4, Instant.now());
    settle();

    assertThat(open.get(4L).closed).isTrue();
    assertThat(single(2).peersRemoved()).containsExactly(4L);
    assertThat(open.get(1L).sent).isEmpty();
    assertThat(open.get(3L).sent).isEmpty();
    assertThat(open.get(6L).sent).isEmpty();
    assertThatAFullReevaluationSendsNothingMore();

    // alice's laptop was a source of her own rule: her phone loses it as a peer and in its filter
    readModels.nodes.remove(1L);
    readModels.forget(1L);
    map.nodeDeleted(1, Instant.now());
    settle();

    assertThat(open.get(1L).closed).isTrue();
    MapResponse phone = single(6);
    assertThat(phone.peersRemoved()).containsExactly(1L);
    assertThat(phone.packetFilter()).isNotNull();
    assertThat(phone.packetFilter())
        .flatExtracting(r -> r.srcIps())
        .contains("100.64.0.6")
        .doesNotContain("100.64.0.1");
    assertThat(open.get(2L).sent).isEmpty();
    assertThat(open.get(3L).sent).isEmpty();
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void shouldTellEveryPeerADeletionWithoutAPolicy() {
    users();
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    node(3, "carol-laptop", 3, List.of());
    connectAll();

    readModels.nodes.remove(2L);
    readModels.forget(2L);
    map.nodeDeleted(2, Instant.now());
    settle();

    assertThat(open.get(2L).closed).isTrue();
    assertThat(single(1).peersRemoved()).containsExactly(2L);
    assertThat(single(3).peersRemoved()).containsExactly(2L);
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void shouldSendARenamedUsersProfileOnlyToTheStreamsShowingIt() {
    users();
    readModels.policy = new PolicyView(1, POLICY, CREATED);
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    node(3, "carol-laptop", 3, List.of());
    readModels.nodes.put(4L, view(4, "server", TaggedDevices.USER_ID, List.of("tag:server")));
    node(4, "server", TaggedDevices.USER_ID, List.of("tag:server"));
    connectAll();

    // the policy names bob by e-mail: a new login and display name change no rule
    readModels.users.put(
        2L, new UserView(2, "robert", "Robert", "bob@example.com", null, null, null, CREATED));
    map.usersChanged(Instant.now());
    settle();

    for (long viewer : List.of(2L, 4L)) {
      MapResponse r = single(viewer);
      assertThat(r.userProfiles()).extracting(p -> p.displayName()).containsExactly("Robert");
      assertThat(r.packetFilter()).isNull();
      assertThat(r.peersChanged()).isNull();
    }
    assertThat(open.get(1L).sent).isEmpty();
    assertThat(open.get(3L).sent).isEmpty();
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void shouldReevaluateEveryStreamWhenThePolicyNamesAChangedUser() {
    users();
    readModels.policy = new PolicyView(1, POLICY, CREATED);
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    readModels.nodes.put(4L, view(4, "server", TaggedDevices.USER_ID, List.of("tag:server")));
    node(4, "server", TaggedDevices.USER_ID, List.of("tag:server"));
    connectAll();

    // bob's new address is named by no rule: he loses his way to the server
    readModels.users.put(
        2L, new UserView(2, "bob", "Bob", "bob@example.org", null, null, null, CREATED));
    map.usersChanged(Instant.now());
    settle();

    assertThat(single(2).peersRemoved()).containsExactly(4L);
    assertThat(single(4).peersRemoved()).containsExactly(2L);
    assertThat(open.get(1L).sent).isEmpty();
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void shouldTellPeersOfAKeyExpiryThatPassedAtThePeriodicRefresh() throws Exception {
    users();
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    NodeView bob = readModels.nodes.get(2L);
    readModels.nodes.put(
        2L,
        new NodeView(
            2,
            bob.machineKey(),
            bob.nodeKey(),
            null,
            bob.ipAddresses(),
            bob.hostname(),
            bob.givenName(),
            2,
            "bob",
            List.of(),
            null,
            Instant.now().plusMillis(700),
            null,
            CREATED,
            bob.registerMethod(),
            false,
            false,
            List.of(),
            List.of()));
    connectAll();
    Thread.sleep(900);

    map.refreshNow();
    settle();

    assertThat(single(1).peersRemoved()).containsExactly(2L);
    assertThat(single(2).node().expired()).isTrue();
    assertThatAFullReevaluationSendsNothingMore();
  }

  @Test
  void shouldSendNothingAtThePeriodicRefreshWhenNothingChanged() {
    users();
    readModels.policy = new PolicyView(1, POLICY, CREATED);
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    node(4, "alice-box", 1, List.of());
    connectAll();

    map.refreshNow();
    settle();

    open.forEach((id, s) -> assertThat(s.sent).as("node %d", id).isEmpty());
  }

  @Test
  void shouldGiveEveryStreamTheExtraDnsRecordsAndTheirEveryChange() {
    users();
    node(1, "alice-laptop", 1, List.of());
    node(2, "bob-laptop", 2, List.of());
    DNSConfig.DNSRecord grafana = new DNSConfig.DNSRecord("grafana.example.com", "A", "100.64.0.3");
    map.extraDnsRecords(List.of(grafana));
    settle();

    // a stream opened after the records were set gets them in its first message
    MapResponse first = map.fullMap(machine(1), request(1)).join().orElseThrow();
    assertThat(first.dnsConfig().extraRecords()).containsExactly(grafana);

    connectAll();
    DNSConfig.DNSRecord wiki = new DNSConfig.DNSRecord("wiki.example.com", "AAAA", "fd7a::1");
    map.extraDnsRecords(List.of(grafana, wiki));
    settle();

    // every open stream gets the new DNS configuration at once, whole (the client replaces its own)
    open.forEach(
        (id, s) -> {
          assertThat(s.sent).as("node %d", id).hasSize(1);
          MapResponse m = s.sent.get(0);
          assertThat(m.dnsConfig().extraRecords()).containsExactly(grafana, wiki);
          assertThat(m.dnsConfig().proxied()).isEqualTo(MapBuilderTest.SETTINGS.magicDns());
          assertThat(m.peers()).isNull();
          assertThat(m.packetFilter()).isNull();
        });

    open.values().forEach(s -> s.sent.clear());
    map.extraDnsRecords(List.of());
    settle();
    open.forEach(
        (id, s) -> assertThat(s.sent.get(0).dnsConfig().extraRecords()).as("node %d", id).isNull());
    assertThatAFullReevaluationSendsNothingMore();
  }

  /**
   * A map that batches changes for 2 s, with the nodes {@code nodes} adds connected, the first
   * change after a quiet spell (which goes out at once) spent on {@code changed}, and nothing sent
   * since. After a quiet spell: the connects themselves were changes, and on a slow machine the
   * last of them can be recent.
   */
  private void batchingForTwoSecondsAfterAQuietSpell(Runnable nodes, long changed)
      throws InterruptedException {
    map.close();
    streams = new MapStreams();
    map = mapBatchingFor(Duration.ofSeconds(2));
    users();
    nodes.run();
    connectAll();
    Thread.sleep(2_100);
    settle();
    map.nodeChanged(changed, Instant.now());
    settle();
    open.values().forEach(s -> s.sent.clear());
  }

  private void assertThatAFullReevaluationSendsNothingMore() {
    open.values().forEach(s -> s.sent.clear());
    map.changed(Instant.now());
    settle();
    open.forEach(
        (id, s) -> assertThat(s.sent).as("node %d after a full re-evaluation", id).isEmpty());
  }

  private MapResponse single(long nodeId) {
    List<MapResponse> sent = open.get(nodeId).sent;
    assertThat(sent).as("messages to node %d", nodeId).hasSize(1);
    return sent.get(0);
  }

  private void users() {
    readModels.users.put(
        1L, new UserView(1, "alice", "Alice", "alice@example.com", null, null, null, CREATED));
    readModels.users.put(
        2L, new UserView(2, "bob", "Bob", "bob@example.com", null, null, null, CREATED));
    readModels.users.put(
        3L, new UserView(3, "carol", "Carol", "carol@example.com", null, null, null, CREATED));
  }

  private void node(long id, String name, long userId, List<String> tags) {
    readModels.nodes.put(id, view(id, name, userId, tags));
    readModels.put(reported(id, name));
  }

  /** The connectivity row of a node whose client reported in, offline. */
  static NodeConnectivity reported(long id, String name) {
    return new NodeConnectivity(
        id,
        List.of("192.0.2." + id + ":41641"),
        disco(id),
        900,
        "{\"Hostname\":\"" + name + "\",\"OS\":\"linux\"}",
        false,
        CREATED,
        "test",
        CREATED);
  }

  static NodeView view(long id, String name, long userId, List<String> tags) {
    return view(id, name, userId, tags, List.of());
  }

  /** A node's view showing it advertises {@code availableRoutes}. */
  static NodeView view(
      long id, String name, long userId, List<String> tags, List<String> availableRoutes) {
    return new NodeView(
        id,
        machine(id),
        key(id),
        null,
        List.of("100.64.0." + id, "fd7a:115c:a1e0::" + id),
        name,
        name,
        userId,
        "u",
        tags,
        null,
        null,
        null,
        CREATED,
        "REGISTER_METHOD_AUTH_KEY",
        false,
        false,
        List.of(),
        availableRoutes);
  }

  private void connectAll() {
    readModels.nodes.keySet().forEach(this::connect);
    open.values().forEach(s -> s.sent.clear());
  }

  static MapRequest request(long id) {
    return new MapRequest(
        113, null, true, key(id), disco(id), true, false, null, null, null, null, null, null, true);
  }

  private void connect(long id) {
    MapRequest req = request(id);
    open.put(id, InMemoryStreams.open(map, streams, machine(id), req).orElseThrow());
    settle();
  }

  /**
   * Waits until the map's worker has run everything queued, including what those tasks queued and
   * what the connectivity writer's notifications queue.
   */
  private void settle() {
    for (int i = 0; i < 500; i++) {
      if (map.quiet().join() && map.quiet().join()) {
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("the map did not settle within about 2.5 s");
  }

  static String key(long id) {
    return "nodekey:" + String.format("%064x", id);
  }

  static String machine(long id) {
    return "mkey:" + String.format("%064x", id);
  }

  static String disco(long id) {
    return "discokey:" + String.format("%064x", 0x1000 + id);
  }
}
