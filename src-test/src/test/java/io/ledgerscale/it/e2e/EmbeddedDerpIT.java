// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.it.e2e.support.EchoServer;
import io.ledgerscale.it.e2e.support.Poll;
import io.ledgerscale.it.e2e.support.Tailnet;
import io.ledgerscale.it.e2e.support.TailscaleBuild;
import io.ledgerscale.it.e2e.support.TailscaleNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real tailscaled nodes that may not talk directly (TS_DEBUG_ALWAYS_USE_DERP) reach each other
 * through Ledgerscale's embedded relay, the only DERP region, with no Go derper running: they come
 * up (a client is Running only with a DERP connection), ping and carry TCP via the relay; a node
 * deleted while connected is cut off the relay and cannot come back. A third node, free to use UDP,
 * finds its address with the embedded STUN server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedDerpIT {
  private static final Duration DELIVERY = Duration.ofSeconds(30);
  private static final Map<String, String> RELAY_ONLY = Map.of("TS_DEBUG_ALWAYS_USE_DERP", "1");
  private Tailnet net;
  private EchoServer echo;
  private TailscaleNode alpha;
  private TailscaleNode bravo;
  private String key;

  @BeforeAll
  void start() throws Exception {
    echo = EchoServer.start();
    net = Tailnet.startWithEmbeddedDerp("embedded-derp", TailscaleBuild.NEWEST);
    var server = net.server();
    server.cli("users", "create", "alice");
    server.cli("policy", "set", "-f", TailnetPolicy.file().toString());
    key = server.cli("preauthkeys", "create", "--user", "alice", "--reusable").strip();
    alpha = net.node("alpha", RELAY_ONLY);
    bravo = net.node("bravo", RELAY_ONLY);
    alpha.upWithKey(server.url(), key);
    bravo.upWithKey(server.url(), key);
  }

  @AfterAll
  void stop() throws Exception {
    if (net != null) {
      net.close();
    }
    if (echo != null) {
      echo.close();
    }
  }

  private String ipv4(String name) {
    for (JsonNode ip : net.serverNode(name).path("ip_addresses")) {
      if (!ip.asText().contains(":")) {
        return ip.asText();
      }
    }
    throw new AssertionError("no IPv4 for " + name);
  }

  private double metric(String name, String... labels) {
    return net.server().metrics().find(name, labels).map(s -> s.value()).orElse(0.0);
  }

  @Test
  @Order(1)
  void clientsGetOnlyTheEmbeddedRegionAndComeUpThroughIt() {
    for (TailscaleNode node : new TailscaleNode[] {alpha, bravo}) {
      assertThat(node.status().path("BackendState").asText()).as(node.name()).isEqualTo("Running");
      JsonNode regions = node.netmap().path("DERPMap").path("Regions");
      assertThat(regions.size()).as(node.name() + "'s DERP map: " + regions).isEqualTo(1);
      assertThat(regions.path("999").path("RegionCode").asText()).isEqualTo("ledgerscale");
    }
    Poll.until(
        DELIVERY,
        200,
        () -> metric("ledgerscale_derp_clients_connected") >= 2,
        () ->
            "relay clients: " + net.server().metrics().named("ledgerscale_derp_clients_connected"));
  }

  @Test
  @Order(2)
  void nodesPingAndCarryTcpThroughTheEmbeddedRelay() {
    String bravoIp = ipv4("bravo");
    Poll.until(
        DELIVERY,
        200,
        () -> !alpha.peerByHostName("bravo").isMissingNode(),
        () -> "alpha does not list bravo: " + alpha.status());
    TailscaleNode.Result ping =
        alpha.cli(90, "ping", "--until-direct=false", "--c=5", "--timeout=5s", bravoIp);
    assertThat(ping.exitCode()).as(ping.output()).isZero();
    assertThat(ping.output()).contains("via DERP(ledgerscale)");

    TailscaleNode.Result tcp =
        alpha.nc(bravoIp, echo.port(), "through the relay", Duration.ofSeconds(20));
    assertThat(tcp.output()).contains("through the relay");
    assertThat(metric("ledgerscale_derp_packets_relayed_total")).isPositive();
    assertThat(metric("ledgerscale_derp_relayed_bytes_total")).isPositive();
  }

  @Test
  @Order(3)
  void aNodeDeletedWhileConnectedIsCutOffTheRelay() {
    long id = net.serverNode("bravo").path("id").asLong();
    double refusedBefore = metric("ledgerscale_derp_connections_refused_total");

    net.server().cli("nodes", "delete", "-i", Long.toString(id));

    // the relay drops bravo's connection (at once when its map stream ends here, else within the
    // 30 s sweep), and bravo's reconnects are refused
    long ms =
        Poll.until(
            Duration.ofSeconds(45),
            200,
            () ->
                metric("ledgerscale_derp_clients_connected") == 1
                    && (net.server().log().contains("no longer admitted")
                        || metric("ledgerscale_derp_connections_refused_total") > refusedBefore),
            () ->
                "relay after deleting bravo: connected "
                    + metric("ledgerscale_derp_clients_connected")
                    + ", refused "
                    + metric("ledgerscale_derp_connections_refused_total"));
    Tailnet.report("relay cut-off after delete", ms);
    assertThat(alpha.status().path("BackendState").asText()).isEqualTo("Running");
  }

  @Test
  @Order(4)
  void aClientThatMayUseUdpLearnsItsAddressFromTheEmbeddedStun() throws Exception {
    TailscaleNode charlie = net.node("charlie");
    charlie.upWithKey(net.server().url(), key);

    TailscaleNode.Result netcheck = charlie.cli(60, "netcheck");
    assertThat(netcheck.exitCode()).as(netcheck.output()).isZero();
    assertThat(netcheck.output()).contains("UDP: true");
    assertThat(metric("ledgerscale_stun_requests_total")).isPositive();
  }
}
