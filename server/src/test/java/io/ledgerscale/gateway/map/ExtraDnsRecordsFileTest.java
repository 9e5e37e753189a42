// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static io.ledgerscale.gateway.map.NetworkMapTest.machine;
import static io.ledgerscale.gateway.map.NetworkMapTest.reported;
import static io.ledgerscale.gateway.map.NetworkMapTest.request;
import static io.ledgerscale.gateway.map.NetworkMapTest.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.gateway.machine.InMemoryStreams;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.tailcfg.DNSConfig;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.ledgerscale.server.dns.ExtraDnsRecordsSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * dns.extra_records_path end to end on a real node map with streams in memory: the records are in
 * the first message of every stream, and an edit of the file reaches every open stream (a bad or
 * half-written file changes nothing). In the server's test tree because the file is read there; in
 * the map's package for its in-memory read models.
 */
class ExtraDnsRecordsFileTest {
  private static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");
  private static final String GRAFANA =
      "{\"name\": \"grafana.example.com\", \"type\": \"A\", \"value\": \"100.64.0.3\"}";
  private static final String WIKI =
      "{\"name\": \"wiki.example.com\", \"type\": \"AAAA\", \"value\": \"fd7a:115c:a1e0::3\"}";

  @TempDir Path tmp;
  private final InMemoryReadModels readModels = new InMemoryReadModels();
  private final MapStreams streams = new MapStreams();
  private final NetworkMap map =
      new NetworkMap(
          new TailnetLoader(readModels.queries, readModels),
          readModels,
          streams,
          MapBuilderTest.SETTINGS.withBatchChangeDelay(Duration.ZERO),
          Clock.systemUTC());
  private ExtraDnsRecordsSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.destroy();
    }
    map.close();
  }

  @Test
  void shouldPutTheFilesRecordsInEveryMapAndPushEveryChangeToOpenStreams() throws Exception {
    Path file = Files.writeString(tmp.resolve("records.json"), "[" + GRAFANA + "]");
    LedgerscaleConfig config = new LedgerscaleConfig();
    config.dns.extraRecordsPath = file.toString();
    config.policy.pollInterval = "50ms";
    source = source(config);
    readModels.users.put(
        1L, new UserView(1, "alice", "Alice", "alice@example.com", null, null, null, CREATED));
    node(1, "alice-laptop");
    node(2, "alice-phone");

    InMemoryStreams.Collecting laptop = open(1);
    InMemoryStreams.Collecting phone = open(2);
    DNSConfig.DNSRecord grafana = new DNSConfig.DNSRecord("grafana.example.com", "A", "100.64.0.3");
    DNSConfig.DNSRecord wiki =
        new DNSConfig.DNSRecord("wiki.example.com", "AAAA", "fd7a:115c:a1e0::3");
    assertThat(map.fullMap(machine(1), request(1)).join().orElseThrow().dnsConfig().extraRecords())
        .containsExactly(grafana);
    settle();
    laptop.sent.clear();
    phone.sent.clear();

    // a half-written (empty) file and a broken one leave the records in force: nothing is sent
    Files.writeString(file, "");
    source.look(file, "");
    Files.writeString(file, "[{\"name\": \"x\", \"type\": \"TXT\", \"value\": \"hi\"}]");
    source.look(file, "");
    settle();
    assertThat(laptop.sent).isEmpty();
    assertThat(phone.sent).isEmpty();

    // the edit is found by the periodic look, without anyone asking
    Files.writeString(file, "[" + GRAFANA + ", " + WIKI + "]");
    for (int i = 0; i < 200 && (laptop.sent.isEmpty() || phone.sent.isEmpty()); i++) {
      Thread.sleep(50);
      settle();
    }
    for (InMemoryStreams.Collecting s : List.of(laptop, phone)) {
      assertThat(s.sent).hasSize(1);
      assertThat(s.sent.get(0).dnsConfig().extraRecords()).containsExactly(grafana, wiki);
    }
    // and a stream opened now gets them in its first message
    MapResponse later = map.fullMap(machine(2), request(2)).join().orElseThrow();
    assertThat(later.dnsConfig().extraRecords()).containsExactly(grafana, wiki);
  }

  @Test
  void shouldGiveTheRecordsWrittenInTheConfigToEveryStream() {
    LedgerscaleConfig config = new LedgerscaleConfig();
    io.ledgerscale.server.config.DnsSettings.ExtraRecord r =
        new io.ledgerscale.server.config.DnsSettings.ExtraRecord();
    r.name = "grafana.example.com";
    r.type = "A";
    r.value = "100.64.0.3";
    config.dns.extraRecords = List.of(r);
    source = source(config);
    readModels.users.put(
        1L, new UserView(1, "alice", "Alice", "alice@example.com", null, null, null, CREATED));
    node(1, "alice-laptop");

    assertThat(map.fullMap(machine(1), request(1)).join().orElseThrow().dnsConfig().extraRecords())
        .containsExactly(new DNSConfig.DNSRecord("grafana.example.com", "A", "100.64.0.3"));
  }

  private ExtraDnsRecordsSource source(LedgerscaleConfig config) {
    StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("map", map));
    ExtraDnsRecordsSource s =
        new ExtraDnsRecordsSource(config, beans.getBeanProvider(NetworkMap.class));
    s.afterPropertiesSet();
    return s;
  }

  private void node(long id, String name) {
    readModels.nodes.put(id, view(id, name, 1, List.of()));
    readModels.put(reported(id, name));
  }

  private InMemoryStreams.Collecting open(long id) {
    InMemoryStreams.Collecting c =
        InMemoryStreams.open(map, streams, machine(id), request(id)).orElseThrow();
    settle();
    return c;
  }

  private void settle() {
    for (int i = 0; i < 4; i++) {
      map.connectedNodes().join();
    }
  }
}
