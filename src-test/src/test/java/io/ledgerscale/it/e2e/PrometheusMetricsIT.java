// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.RenameNodeCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.it.e2e.support.Poll;
import io.ledgerscale.it.e2e.support.PrometheusText;
import io.ledgerscale.it.e2e.support.TailscaleBuild;
import io.ledgerscale.it.e2e.support.TailscaleNode;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What a Prometheus server scraping metrics_listen_addr gets while a real tailscaled joins: the
 * text exposition (or OpenMetrics when asked), read by a parser of the test's own, with the
 * operator's metrics moving as the node registers, streams its map and sees a change; and nothing
 * of it on listen_addr, the port operators expose to the internet.
 */
// a test context turns metrics export off unless asked, which would hide the registry under test
@AutoConfigureObservability(tracing = false)
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + PrometheusMetricsIT.CONFIG)
class PrometheusMetricsIT {
  static final String DIR = "target/e2e/prometheus-metrics";
  static final String CONFIG = DIR + "/config.yaml";
  private static final MetaData ADMIN =
      AuditMetadata.of(Actor.system("it"), Origin.SYSTEM, "", null);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  static {
    Path dir = Path.of(DIR);
    try {
      Dirs.fresh(dir);
      Files.writeString(
          dir.resolve("derp.json"),
          """
          {"Regions":{"900":{"RegionID":900,"RegionCode":"test","RegionName":"Test","Nodes":[
            {"Name":"900a","RegionID":900,"HostName":"127.0.0.1","IPv4":"127.0.0.1","IPv6":"none",
             "STUNPort":-1,"DERPPort":3340,"InsecureForTests":true}]}}}
          """);
      Files.writeString(
          Path.of(CONFIG),
          """
          server_url: http://127.0.0.1:8080
          listen_addr: 127.0.0.1:0
          metrics_listen_addr: 127.0.0.1:0
          data_dir: %1$s/data
          database:
            type: embedded
            embedded:
              port: 0
          derp:
            urls: []
            paths: [%1$s/derp.json]
          """
              .formatted(dir.toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort int port;
  @LocalManagementPort int metricsPort;
  @Autowired CommandGateway commands;
  @Autowired QueryGateway queries;

  @Test
  void shouldExposeTheOperatorsMetricsToPrometheusOnTheMetricsPortOnly() throws Exception {
    PrometheusText before = scrape();
    double accepted = registrations(before, "preauthkey", "accepted");
    double refused = registrations(before, "preauthkey", "refused");
    double handshakeFailures = sum(before, "ledgerscale_noise_handshake_failures_total");

    long user =
        ((Number) send(new CreateUserCommand("metered", null, null, null, null, null))).longValue();
    IssuedPreAuthKey key = send(new CreatePreAuthKeyCommand(user, false, false, null, List.of()));
    Path nodes = Path.of(DIR, "nodes").toAbsolutePath();
    try (TailscaleNode laptop =
        TailscaleNode.start("laptop", TailscaleBuild.NEWEST, nodes.resolve("laptop"))) {
      laptop.upWithKey("http://127.0.0.1:" + port, key.key());
      Poll.until(
          Duration.ofSeconds(30),
          200,
          () -> scrape().value("ledgerscale_map_streams_open") >= 1,
          () -> "no open map stream: " + scrape().named("ledgerscale_map_streams_open"));

      // a single-use key used again: refused by the domain, as a second machine would be
      assertThatThrownBy(
              () ->
                  send(
                      new RegisterNodeWithPreAuthKeyCommand(
                          "mkey:" + "1".repeat(64),
                          "nodekey:" + "2".repeat(64),
                          "thief",
                          List.of(),
                          key.key(),
                          null)))
          .hasStackTraceContaining("already used");
      noiseGarbage();
      // a change the laptop's own map shows: one delta, after some delay
      NodeView node =
          queries
              .query(new FetchNodesQuery(null), ResponseTypes.multipleInstancesOf(NodeView.class))
              .get()
              .get(0);
      send(new RenameNodeCommand(node.id(), "laptop-renamed"));
      Poll.until(
          Duration.ofSeconds(30),
          200,
          () -> scrape().value("ledgerscale_map_change_delay_seconds_count") >= 1,
          () ->
              "no change delay recorded: "
                  + scrape().named("ledgerscale_map_change_delay_seconds_count"));

      PrometheusText after = scrape();
      assertThat(registrations(after, "preauthkey", "accepted")).isEqualTo(accepted + 1);
      assertThat(registrations(after, "preauthkey", "refused")).isEqualTo(refused + 1);
      assertThat(registrations(after, "oidc", "accepted")).isZero();
      assertThat(after.value("ledgerscale_noise_handshakes_total")).isGreaterThanOrEqualTo(1);
      assertThat(sum(after, "ledgerscale_noise_handshake_failures_total"))
          .isEqualTo(handshakeFailures + 1);
      assertThat(after.value("ledgerscale_nodes_connected")).isEqualTo(1);
      assertThat(after.value("ledgerscale_map_streams_open")).isGreaterThanOrEqualTo(1);
      assertThat(after.value("ledgerscale_map_messages_total", "kind", "full"))
          .isGreaterThanOrEqualTo(1);
      assertThat(after.value("ledgerscale_map_messages_total", "kind", "delta"))
          .isGreaterThanOrEqualTo(1);
      assertThat(after.value("ledgerscale_map_sent_bytes_total", "kind", "full"))
          .isGreaterThan(after.value("ledgerscale_map_messages_total", "kind", "full"));
      assertThat(after.value("ledgerscale_map_change_deltas_count")).isGreaterThanOrEqualTo(1);
      assertThat(after.value("ledgerscale_map_change_deltas_sum")).isGreaterThanOrEqualTo(1);
      histogram(after, "ledgerscale_map_change_delay_seconds");
      histogram(after, "ledgerscale_map_change_deltas");
      histogram(after, "ledgerscale_commands_gate_wait_seconds");
      assertThat(after.value("ledgerscale_commands_gate_wait_seconds_count"))
          .as("the commands this test sent waited for their turn, if only for no time")
          .isGreaterThanOrEqualTo(4);

      List<PrometheusText.Sample> lag = after.named("ledgerscale_projections_lag_events");
      assertThat(lag).extracting(s -> s.labels().get("group")).contains("users", "nodes");
      assertThat(lag).allSatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(0));
      assertThat(after.named("ledgerscale_projections_dead_letters"))
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.value()).isZero());
      assertThat(after.named("ledgerscale_commands_running")).hasSize(1);
      assertThat(after.named("jvm_memory_used_bytes")).isNotEmpty();
      assertThat(after.named("hikaricp_connections_active")).isNotEmpty();
      // no node, key or user ever becomes a label
      assertThat(after.samples())
          .filteredOn(s -> s.name().startsWith("ledgerscale_"))
          .allSatisfy(
              s ->
                  assertThat(s.labels().keySet())
                      .isSubsetOf("group", "kind", "method", "outcome", "reason", "le"));
    }

    HttpResponse<String> open =
        get(metricsPort, "/metrics", "application/openmetrics-text;version=1.0.0");
    assertThat(open.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/openmetrics-text");
    assertThat(open.body()).contains("ledgerscale_noise_handshakes_total").endsWith("# EOF\n");
    assertThat(get(metricsPort, "/health", "application/json").body()).contains("\"components\"");

    for (String path : List.of("/metrics", "/prometheus", "/actuator/prometheus")) {
      HttpResponse<String> outside = get(port, path, "text/plain");
      assertThat(outside.statusCode()).as(path + " on listen_addr").isEqualTo(404);
      assertThat(outside.body()).doesNotContain("ledgerscale_");
    }
  }

  private static double registrations(PrometheusText t, String method, String outcome) {
    return t.value("ledgerscale_registrations_total", "method", method, "outcome", outcome);
  }

  private static double sum(PrometheusText t, String name) {
    return t.named(name).stream().mapToDouble(PrometheusText.Sample::value).sum();
  }

  /** Cumulative buckets ending in +Inf, which holds every observation. */
  private static void histogram(PrometheusText t, String name) {
    List<PrometheusText.Sample> buckets = t.named(name + "_bucket");
    assertThat(buckets).as(name).hasSizeGreaterThan(5);
    assertThat(buckets.get(buckets.size() - 1).labels()).containsEntry("le", "+Inf");
    assertThat(buckets.get(buckets.size() - 1).value()).isEqualTo(t.value(name + "_count"));
    for (int i = 1; i < buckets.size(); i++) {
      assertThat(buckets.get(i).value()).isGreaterThanOrEqualTo(buckets.get(i - 1).value());
    }
  }

  private PrometheusText scrape() {
    HttpResponse<String> r = get(metricsPort, "/metrics", "text/plain");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain")
        .contains("version=0.0.4");
    try {
      // what the last scrape held, to read after a failure (and to check docs/metrics.md against)
      Files.writeString(Path.of(DIR, "last-scrape.txt"), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return PrometheusText.parse(r.body());
  }

  private static HttpResponse<String> get(int port, String path, String accept) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("Accept", accept)
              .timeout(Duration.ofSeconds(20))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A Noise upgrade whose initiation is five zero bytes: the handshake must be refused. */
  private void noiseGarbage() throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /ts2021 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: tailscale-control-protocol\r\n"
                  + "Connection: upgrade\r\nX-Tailscale-Handshake: AAAAAAA=\r\n"
                  + "Content-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      try {
        in.readAllBytes();
      } catch (java.net.SocketTimeoutException | java.net.SocketException ended) {
        // answered and closed, or left open: the handshake was seen either way
      }
    }
  }

  private <R> R send(Object command) {
    return commands.sendAndWait(
        GenericCommandMessage.asCommandMessage(command).withMetaData(ADMIN));
  }
}
