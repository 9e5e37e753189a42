// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.it.e2e.support.GoToolBuild;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

  private TsHelperProcess() {}

  public static Path binary() {
    return GoToolBuild.output("tools/tailscale/build.sh", VERSION).resolve("tshelper");
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
  public static CompletableFuture<List<JsonNode>> start(List<String> args) {
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
}
