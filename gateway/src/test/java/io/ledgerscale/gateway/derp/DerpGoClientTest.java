// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.noise.Curve25519;
import io.ledgerscale.gateway.support.GoTailscale;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
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
 * of the pinned version): its handshake box, packets both ways, ping, PeerGone, and refusal.
 */
class DerpGoClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Set<String> allowed = ConcurrentHashMap.newKeySet();
  private final RelayServer server =
      new RelayServer(
          key ->
              CompletableFuture.completedFuture(
                  allowed.contains(key)
                      ? DerpAdmission.Verdict.ALLOW
                      : DerpAdmission.Verdict.DENY));

  @AfterEach
  void stop() {
    server.close();
  }

  private static Path binary() throws Exception {
    Path script = GoTailscale.repoRoot().resolve("tools/derpclient/build.sh");
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().merge("PATH", ":/usr/local/go/bin", String::concat);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assumeTrue(p.waitFor(20, TimeUnit.MINUTES) && p.exitValue() == 0, "no Go toolchain");
    List<String> lines = out.lines().toList();
    return Path.of(lines.get(lines.size() - 1));
  }

  private List<JsonNode> run(String... args) throws Exception {
    return run(false, args);
  }

  private List<JsonNode> run(boolean webSocket, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(binary().toString(), "-url", server.url()));
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

  private static String nodeKey(String privateKeyText) {
    byte[] priv = KeyText.parse(KeyText.PRIVATE, privateKeyText).orElseThrow();
    return KeyText.format(KeyText.NODE_PUBLIC, Curve25519.publicKey(priv));
  }

  private static JsonNode event(List<JsonNode> events, String name, String client) {
    return events.stream()
        .filter(e -> name.equals(e.path("event").asText()))
        .filter(e -> client == null || client.equals(e.path("client").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + events));
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
    allowed.add(nodeKey(a));
    allowed.add(nodeKey(b));

    List<JsonNode> events = run(webSocket, "-a", a, "-b", b);

    assertThat(event(events, "connected", "a").path("serverKey").asText())
        .isEqualTo(KeyText.format(KeyText.NODE_PUBLIC, server.relay.publicKey()));
    JsonNode atB = event(events, "received", "b");
    assertThat(atB.path("from").asText()).isEqualTo(nodeKey(a));
    assertThat(atB.path("data").asText()).isEqualTo("hello from a");
    JsonNode atA = event(events, "received", "a");
    assertThat(atA.path("from").asText()).isEqualTo(nodeKey(b));
    assertThat(event(events, "pong", null).path("data").asText()).isEqualTo("AQIDBAUGBwg=");
    JsonNode gone = event(events, "peerGone", null);
    assertThat(gone.path("peer").asText()).isEqualTo(nodeKey(b));
    assertThat(gone.path("reason").asInt()).isZero();
  }

  @Test
  void aKeyNotAdmittedIsRefused() throws Exception {
    List<JsonNode> events = run("-a", newKey(), "-expect-refused");

    assertThat(event(events, "refused", null).path("refused").asBoolean()).isTrue();
    assertThat(server.relay.connectedClients()).isZero();
  }
}
