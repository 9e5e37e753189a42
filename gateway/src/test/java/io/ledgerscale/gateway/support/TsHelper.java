// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tools/tailscale/tshelper (Tailscale's Go initiator + Go's HTTP/2 client) and parses its JSON
 * lines.
 */
public final class TsHelper {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TsHelper() {}

  public static List<JsonNode> run(List<String> args) {
    return run(GoTailscale.VERSION, args);
  }

  /** Runs the helper built against the given tailscale.com version. */
  public static List<JsonNode> run(String version, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(GoTailscale.binaries(version).resolve("tshelper").toString());
    cmd.addAll(args);
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("tshelper did not finish: " + out);
      }
      List<JsonNode> lines = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          lines.add(JSON.readTree(line));
        }
      }
      return lines;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode event(List<JsonNode> lines, String event) {
    return lines.stream()
        .filter(l -> event.equals(l.path("event").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + event + " event in " + lines));
  }

  public static JsonNode response(List<JsonNode> lines, int req) {
    return lines.stream()
        .filter(l -> "response".equals(l.path("event").asText()) && l.path("req").asInt() == req)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no response " + req + " in " + lines));
  }
}
