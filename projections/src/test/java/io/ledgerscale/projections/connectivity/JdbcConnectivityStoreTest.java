// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.connectivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.connectivity.ConnectivityReport;
import io.ledgerscale.domain.api.connectivity.ConnectivityWrite;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.connectivity.PresenceChange;
import io.ledgerscale.projections.support.ProjectionDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class JdbcConnectivityStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final String DISCO = "discokey:" + "ab".repeat(32);
  private static final String ZERO = "discokey:" + "0".repeat(64);
  private JdbcConnectivityStore store;
  private JdbcTemplate jdbc;

  @BeforeEach
  void setUp() {
    jdbc = ProjectionDatabase.fresh();
    store = new JdbcConnectivityStore(jdbc);
  }

  @Test
  void canStoreAReportAndReadItBack() {
    NodeConnectivity c =
        store.report(
            new ConnectivityReport(
                5, List.of("1.2.3.4:41641"), DISCO, 900, "{\"OS\":\"linux\"}", "i1", T0));

    assertThat(c.endpoints()).containsExactly("1.2.3.4:41641");
    assertThat(c.discoKey()).isEqualTo(DISCO);
    assertThat(c.homeDerp()).isEqualTo(900);
    assertThat(c.hostinfo()).contains("linux");
    assertThat(c.lastSeen()).isEqualTo(T0);
    assertThat(store.all()).containsOnlyKeys(5L);
  }

  @Test
  void cannotReplaceAKnownDiscoKeyWithZeroOrNothing() {
    store.report(new ConnectivityReport(5, List.of("1.2.3.4:1"), DISCO, null, null, "i1", T0));
    store.report(new ConnectivityReport(5, null, ZERO, null, null, "i1", T0.plusSeconds(1)));
    NodeConnectivity c =
        store.report(new ConnectivityReport(5, null, null, 901, null, "i1", T0.plusSeconds(2)));

    assertThat(c.discoKey()).isEqualTo(DISCO);
    assertThat(c.endpoints()).containsExactly("1.2.3.4:1");
    assertThat(c.homeDerp()).isEqualTo(901);
  }

  @Test
  void shouldIgnoreAReportOlderThanTheStoredOne() {
    store.report(
        new ConnectivityReport(5, List.of("new:1"), null, null, null, "i1", T0.plusSeconds(10)));
    NodeConnectivity c =
        store.report(new ConnectivityReport(5, List.of("old:1"), null, null, null, "i1", T0));

    assertThat(c.endpoints()).containsExactly("new:1");
  }

  @Test
  void shouldGoOfflineOnlyFromTheInstanceHoldingTheSession() {
    store.setOnline(5, true, "i1", T0);
    store.setOnline(5, true, "i2", T0.plusSeconds(1));
    store.setOnline(5, false, "i1", T0.plusSeconds(2));
    assertThat(store.find(5).orElseThrow().online()).isTrue();

    store.setOnline(5, false, "i2", T0.plusSeconds(3));
    assertThat(store.find(5).orElseThrow().online()).isFalse();
    assertThat(store.find(5).orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(3));
  }

  @Test
  void shouldTellEveryInstanceOnTheDatabaseWhichNodeChanged() throws Exception {
    BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
    try (JdbcConnectivityStore other = new JdbcConnectivityStore(jdbc)) {
      other.onChange(heard::add);
      Thread.sleep(300);

      store.report(new ConnectivityReport(7, List.of("1.2.3.4:1"), DISCO, null, null, "i1", T0));
      store.setOnline(8, true, "i1", T0);

      assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo(7L);
      assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo(8L);
    }
  }

  @Test
  void shouldStoreEachBatchAsItsWritesSayAndTellOncePerNode() throws Exception {
    // the map knows each row before the store has it (ConnectivityWrite.applyTo): the store must
    // come to the same rows, whatever the order and mix of writes
    Random rnd = new Random(11);
    Map<Long, NodeConnectivity> expected = new HashMap<>();
    BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
    try (JdbcConnectivityStore other = new JdbcConnectivityStore(jdbc)) {
      other.onChange(heard::add);
      Thread.sleep(300);
      for (int round = 0; round < 40; round++) {
        List<ConnectivityWrite> batch = new ArrayList<>();
        for (int i = 0; i < 1 + rnd.nextInt(8); i++) {
          long node = 1 + rnd.nextInt(4);
          // times go back now and then: an older write must change nothing
          Instant at = T0.plusSeconds(round * 10L + rnd.nextInt(15) - 5);
          ConnectivityWrite w =
              rnd.nextBoolean()
                  ? new PresenceChange(node, rnd.nextBoolean(), "i" + rnd.nextInt(2), at)
                  : new ConnectivityReport(
                      node,
                      rnd.nextBoolean() ? null : List.of("10.0.0." + rnd.nextInt(9) + ":1"),
                      List.of(DISCO, ZERO, "").get(rnd.nextInt(3)),
                      rnd.nextBoolean() ? null : 900 + rnd.nextInt(3),
                      null,
                      "i" + rnd.nextInt(2),
                      at);
          batch.add(w);
          expected.put(node, w.applyTo(expected.get(node)));
        }
        store.writeAll(batch);
        assertThat(store.findAll(expected.keySet())).isEqualTo(expected);
      }
      assertThat(store.findAll(List.of(99L))).isEmpty();

      heard.clear();
      store.writeAll(
          List.of(
              new PresenceChange(3, true, "i1", T0.plusSeconds(900)),
              new PresenceChange(3, false, "i1", T0.plusSeconds(901)),
              new PresenceChange(4, true, "i1", T0.plusSeconds(900))));
      assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo(3L);
      assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo(4L);
      assertThat(heard.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void canHeartbeatAndForget() {
    store.setOnline(5, true, "i1", T0);
    store.heartbeat(List.of(5L), T0.plusSeconds(60));
    assertThat(store.find(5).orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(60));

    store.forget(5);
    assertThat(store.find(5)).isEmpty();
  }
}
