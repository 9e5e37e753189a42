// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.noise.Curve25519;
import io.ledgerscale.gateway.support.GoTailscale;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tailscale's own DERP programs for the interop tests: {@code derper} (v1.102.5, from the pinned
 * build in tools/tailscale) on a loopback port, and our Go DERP client (tools/derpclient, on
 * Tailscale's derphttp client), which prints one JSON event per line.
 */
final class GoDerp {
  static final String VERSION = "v1.102.5";

  private GoDerp() {}

  /** A running derper: plain HTTP on {@link #port}, its output in {@link #log}. */
  record Derper(Process process, int port, Path log) implements AutoCloseable {
    String url() {
      return "http://127.0.0.1:" + port + "/derp";
    }

    String logText() throws IOException {
      return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Starts derper on a free loopback port with its state and log in {@code dir}, no STUN and no
   * TLS, plus {@code extraArgs}; returns once it answers its probe.
   */
  static Derper startDerper(Path dir, List<String> extraArgs, Map<String, String> env)
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                GoTailscale.binaries(VERSION).resolve("derper").toString(),
                "-a",
                "127.0.0.1:" + port,
                "-http-port",
                "-1",
                "-stun=false",
                "-c",
                dir.resolve("derper-" + port + ".json").toString(),
                "-hostname",
                "127.0.0.1"));
    command.addAll(extraArgs);
    Path log = dir.resolve("derper-" + port + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Derper derper = new Derper(pb.start(), port, log);
    for (int i = 0; i < 100; i++) {
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/derp/probe").toURL().openConnection();
        if (c.getResponseCode() == 200) {
          return derper;
        }
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    derper.close();
    throw new IllegalStateException("derper did not start: " + derper.logText());
  }

  /** Builds tools/derpclient (skipping the test where no Go toolchain is) and returns its path. */
  static Path clientBinary() throws Exception {
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

  /** The node public key of a private key in Tailscale's text form. */
  static String nodeKey(String privateKeyText) {
    byte[] priv = KeyText.parse(KeyText.PRIVATE, privateKeyText).orElseThrow();
    return KeyText.format(KeyText.NODE_PUBLIC, Curve25519.publicKey(priv));
  }

  /** The first event of that name (from that client, unless null) the Go client printed. */
  static JsonNode event(List<JsonNode> events, String name, String client) {
    return events.stream()
        .filter(e -> name.equals(e.path("event").asText()))
        .filter(e -> client == null || client.equals(e.path("client").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + events));
  }
}
