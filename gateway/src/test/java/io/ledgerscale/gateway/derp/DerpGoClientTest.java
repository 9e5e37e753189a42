// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.noise.Curve25519;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay against Tailscale's own Go DERP client (tools/derpclient, tailscale.com/derp/derphttp
 * of the pinned version): its handshake box, packets both ways, ping, PeerGone, refusal, and the
 * server's Health and Restarting messages.
 */
class DerpGoClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Set<String> allowed = ConcurrentHashMap.newKeySet();
  // the node records cannot be read: every admission question goes undecided
  private volatile boolean unreadable;
  private final RelayServer server =
      new RelayServer(
          key ->
              CompletableFuture.completedFuture(
                  unreadable
                      ? DerpAdmission.Verdict.UNDECIDED
                      : allowed.contains(key)
                          ? DerpAdmission.Verdict.ALLOW
                          : DerpAdmission.Verdict.DENY));
  private Process watcher;

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.destroy();
    }
    server.close();
  }

  private List<JsonNode> run(String... args) throws Exception {
    return run(false, args);
  }

  private List<JsonNode> run(boolean webSocket, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(GoDerp.clientBinary().toString(), "-url", server.url()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    if (webSocket) {
      // the helper is built with ts_debug_websockets; this makes derphttp dial a WebSocket
      pb.environment().put("TS_DEBUG_DERP_WS_CLIENT", "1");
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<JsonNode> events = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        events.add(JSON.readTree(line));
      }
    }
    return events;
  }

  private String newKey() {
    return KeyText.format(KeyText.PRIVATE, Curve25519.generatePrivate(random));
  }

  @Test
  void tailscalesGoClientHandshakesRelaysPingsAndLearnsOfAGonePeer() throws Exception {
    assertFullExchange(false);
  }

  @Test
  void theSameOverWebSockets() throws Exception {
    assertFullExchange(true);
  }

  private void assertFullExchange(boolean webSocket) throws Exception {
    String a = newKey();
    String b = newKey();
    allowed.add(GoDerp.nodeKey(a));
    allowed.add(GoDerp.nodeKey(b));

    List<JsonNode> events = run(webSocket, "-a", a, "-b", b);

    assertThat(GoDerp.event(events, "connected", "a").path("serverKey").asText())
        .isEqualTo(KeyText.format(KeyText.NODE_PUBLIC, server.relay.publicKey()));
    JsonNode atB = GoDerp.event(events, "received", "b");
    assertThat(atB.path("from").asText()).isEqualTo(GoDerp.nodeKey(a));
    assertThat(atB.path("data").asText()).isEqualTo("hello from a");
    JsonNode atA = GoDerp.event(events, "received", "a");
    assertThat(atA.path("from").asText()).isEqualTo(GoDerp.nodeKey(b));
    assertThat(GoDerp.event(events, "pong", null).path("data").asText()).isEqualTo("AQIDBAUGBwg=");
    JsonNode gone = GoDerp.event(events, "peerGone", null);
    assertThat(gone.path("peer").asText()).isEqualTo(GoDerp.nodeKey(b));
    assertThat(gone.path("reason").asInt()).isZero();
  }

  /** Starts {@code derpclient -watch} for client {@code a}; its events are read as they come. */
  private BufferedReader watch(String a) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                GoDerp.clientBinary().toString(), "-url", server.url(), "-a", a, "-watch", "30s")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    watcher = pb.start();
    return new BufferedReader(
        new InputStreamReader(watcher.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * The next event of the watch; the helper's own 30 s limit ends a wait for one that never comes.
   */
  private static JsonNode next(BufferedReader events) throws Exception {
    String line = events.readLine();
    assertThat(line).as("the watch ended").isNotNull();
    return JSON.readTree(line);
  }

  @Test
  void aGracefulStopSendsRestartingThenEndsTheStream() throws Exception {
    String a = newKey();
    allowed.add(GoDerp.nodeKey(a));
    BufferedReader events = watch(a);
    assertThat(next(events).path("event").asText()).isEqualTo("connected");

    server.relay.closeAll(Duration.ofSeconds(5));

    JsonNode restarting = next(events);
    assertThat(restarting.path("event").asText()).isEqualTo("restarting");
    assertThat(restarting.path("reconnectInMs").asLong())
        .isBetween(0L, (long) DerpRelay.RESTART_SMEAR_MILLIS);
    assertThat(restarting.path("tryForMs").asLong()).isEqualTo(DerpRelay.RESTART_TRY_FOR_MILLIS);
    assertThat(next(events).path("event").asText()).isEqualTo("closed");
    assertThat(server.relay.connectedClients()).isZero();
  }

  @Test
  void clientsAreToldWhenNoKeyCanBeVerifiedAndWhenItRecovers() throws Exception {
    String a = newKey();
    allowed.add(GoDerp.nodeKey(a));
    try (AdmissionSweep sweep = new AdmissionSweep(server.relay, Duration.ofMillis(100))) {
      sweep.start();
      BufferedReader events = watch(a);
      assertThat(next(events).path("event").asText()).isEqualTo("connected");

      unreadable = true;
      JsonNode problem = next(events);
      assertThat(problem.path("event").asText()).isEqualTo("health");
      assertThat(problem.path("problem").asText()).isEqualTo(DerpRelay.CANNOT_VERIFY);
      // an undecided key stays connected: the problem is told, not enforced
      assertThat(server.relay.connectedClients()).isEqualTo(1);

      unreadable = false;
      JsonNode healthy = next(events);
      assertThat(healthy.path("event").asText()).isEqualTo("health");
      assertThat(healthy.path("problem").asText()).isEmpty();
    }
  }

  @Test
  void aKeyNotAdmittedIsRefused() throws Exception {
    List<JsonNode> events = run("-a", newKey(), "-expect-refused");

    assertThat(GoDerp.event(events, "refused", null).path("refused").asBoolean()).isTrue();
    assertThat(server.relay.connectedClients()).isZero();
  }
}
