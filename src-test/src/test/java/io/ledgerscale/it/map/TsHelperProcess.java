// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Go test client from tools/tailscale (tshelper): a real Noise + HTTP/2 connection made with
 * Tailscale's own client code. Each run is one connection; its JSON lines arrive when it ends.
 */
public final class TsHelperProcess {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VERSION =
      System.getProperty("ledgerscale.tailscale.version", "v1.80.3");
  private static Path binary;

  private TsHelperProcess() {}

  static synchronized Path binary() {
    if (binary != null) {
      return binary;
    }
    assumeTrue(onPath("go"), "no Go toolchain on PATH");
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("tools/tailscale/build.sh"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("cannot find tools/tailscale/build.sh");
    }
    try {
      Process p =
          new ProcessBuilder("bash", root.resolve("tools/tailscale/build.sh").toString(), VERSION)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("tools/tailscale/build.sh " + VERSION + " failed");
      }
      List<String> lines = out.lines().toList();
      binary = Path.of(lines.get(lines.size() - 1)).resolve("tshelper");
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts a run against the server on loopback {@code port}, connecting over Noise as the machine
   * whose private key is given; {@code rest} are further flags and the requests ({@code -req}).
   */
  public static CompletableFuture<List<JsonNode>> startAs(
      int port, String serverKey, String machinePrivate, String... rest) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "-addr",
            "127.0.0.1:" + port,
            "-server-key",
            serverKey,
            "-machine-key",
            machinePrivate));
    args.addAll(List.of(rest));
    return start(args);
  }

  /** Starts a run; the future completes with its output lines when it ends. */
  static CompletableFuture<List<JsonNode>> start(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary().toString());
    cmd.addAll(args);
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
              }
              List<JsonNode> lines = new ArrayList<>();
              for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                  lines.add(JSON.readTree(line));
                }
              }
              return lines;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode response(List<JsonNode> lines, int req) {
    return lines.stream()
        .filter(l -> "response".equals(l.path("event").asText()) && l.path("req").asInt() == req)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no response " + req + " in " + lines));
  }

  static List<JsonNode> frames(JsonNode response) {
    List<JsonNode> out = new ArrayList<>();
    response.path("frames").forEach(out::add);
    return out;
  }

  private static boolean onPath(String exe) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/go/bin";
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) {
        return true;
      }
    }
    return false;
  }
}
