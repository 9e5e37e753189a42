// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.limits.SourceCounter;
import io.ledgerscale.gateway.noise.Curve25519;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our relay meshed with Tailscale's own {@code derper} (v1.102.5) as two relays of one region: each
 * names the other ({@code --mesh-with}, {@code mesh_with}) and both hold the same mesh key ({@code
 * --mesh-psk-file}); Tailscale's Go DERP client a on derper and b on ours reach each other both
 * ways, and a learns that b left. derper dials its peers with https only, unless {@code
 * TS_DEBUG_USE_DERP_HTTP} is set, which the test does, as our test listener is plain HTTP.
 */
class DerpMeshWithGoDerperTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_HEX =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  private final SecureRandom random = new SecureRandom();
  private final RelayServer ours =
      new RelayServer(
          DerpAdmission.anyone(), new SourceCounter(Integer.MAX_VALUE, 0), MeshKey.parse(KEY_HEX));
  private final List<AutoCloseable> open = new ArrayList<>();
  private GoDerp.Derper derper;
  @TempDir Path tmp;

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    ours.close();
  }

  private int startDerper() throws Exception {
    Path psk = tmp.resolve("mesh.key");
    Files.writeString(psk, KEY_HEX + "\n");
    derper =
        GoDerp.startDerper(
            tmp,
            List.of("-mesh-psk-file", psk.toString(), "-mesh-with", "127.0.0.1:" + ours.port()),
            Map.of("TS_DEBUG_USE_DERP_HTTP", "1"));
    open.add(derper);
    return derper.port();
  }

  private String derperLog() throws IOException {
    return derper == null ? "" : derper.logText();
  }

  private void await(BooleanSupplier condition, String what) throws Exception {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within 20 s: " + what + "\nderper log:\n" + derperLog());
      }
      Thread.sleep(50);
    }
  }

  private String newKey() {
    return KeyText.format(KeyText.PRIVATE, Curve25519.generatePrivate(random));
  }

  @Test
  void aClientOfDerperAndAClientOfOursReachEachOtherThroughTheMesh() throws Exception {
    int derper = startDerper();
    open.add(MeshPeer.start(ours.relay, URI.create("http://127.0.0.1:" + derper)));
    await(() -> ours.relay.meshLinksUp() == 1, "our link to derper is up and watching");
    await(() -> ours.relay.meshWatchers() == 1, "derper watches our relay");

    String a = newKey();
    String b = newKey();
    Process p =
        new ProcessBuilder(
                GoDerp.clientBinary().toString(),
                "-url",
                "http://127.0.0.1:" + derper + "/derp",
                "-url-b",
                ours.url(),
                "-a",
                a,
                "-b",
                b)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    List<JsonNode> events = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        events.add(JSON.readTree(line));
      }
    }

    JsonNode atB = GoDerp.event(events, "received", "b");
    assertThat(atB.path("from").asText()).isEqualTo(GoDerp.nodeKey(a));
    assertThat(atB.path("data").asText()).isEqualTo("hello from a");
    JsonNode atA = GoDerp.event(events, "received", "a");
    assertThat(atA.path("from").asText()).isEqualTo(GoDerp.nodeKey(b));
    assertThat(atA.path("data").asText()).isEqualTo("hello from b");
    JsonNode gone = GoDerp.event(events, "peerGone", null);
    assertThat(gone.path("peer").asText()).isEqualTo(GoDerp.nodeKey(b));
    assertThat(ours.metrics.packetsForwardedIn()).isPositive();
    assertThat(ours.metrics.packetsForwardedOut()).isPositive();
  }
}
