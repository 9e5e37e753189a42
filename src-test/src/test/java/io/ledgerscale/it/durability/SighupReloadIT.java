// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.it.api.Http;
import io.ledgerscale.it.e2e.support.Poll;
import io.ledgerscale.it.e2e.support.Ports;
import io.ledgerscale.it.e2e.support.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -HUP} (what {@code systemctl reload} and Headplane send) reloads the policy file of a
 * running server and never stops it. The file is looked at only once an hour here, so only the
 * signal can bring an edit in. The reload is recorded like every policy-file reload (actor SYSTEM,
 * origin SYSTEM), naming the signal; a broken file is refused, the policy in force stays, and the
 * refusal shows in the log and in both health reports.
 */
class SighupReloadIT {
  private static final String V1 = "{\n  \"tagOwners\": {\"tag:a\": []},\n}\n";
  private static final String V2 =
      "{\n  // after the reload\n  \"tagOwners\": {\"tag:a\": [], \"tag:b\": []},\n}\n";
  private static final String BROKEN = "{\n  \"tagOwners\": {\"tag:a\": [] \n";

  @Test
  void shouldReloadThePolicyFileOnSighupAndKeepServing() throws Exception {
    Path dir =
        Files.createDirectories(Path.of("target", "sighup-" + System.nanoTime()).toAbsolutePath());
    Path dataDir = dir.resolve("data");
    Path policyFile = Files.writeString(dir.resolve("policy.hujson"), V1);
    int port = Ports.freeTcp();
    int metricsPort = Ports.freeTcp();
    Path config =
        Files.writeString(
            dir.resolve("config.yaml"),
            "server_url: http://127.0.0.1:"
                + port
                + "\nlisten_addr: 127.0.0.1:"
                + port
                + "\nmetrics_listen_addr: 127.0.0.1:"
                + metricsPort
                + "\ndata_dir: "
                + dataDir
                + "\ndatabase:\n  type: embedded\n  embedded:\n    port: "
                + Ports.freeTcp()
                + "\n    binaries_path: "
                + Path.of("target", "postgres-bin").toAbsolutePath()
                + "\npolicy:\n  mode: file\n  path: "
                + policyFile
                + "\n  poll_interval: 1h\n");
    ServerProcess server = ServerProcess.start(config, metricsPort, dir.resolve("server.log"));
    int exit;
    try {
      server.awaitHealthy(Duration.ofMinutes(3));
      String processId = server.processId();
      Http admin =
          new Http("http://127.0.0.1:" + port)
              .bearer(Files.readString(dataDir.resolve("initial-api-key")).trim());
      awaitInForce(server, admin, V1, "policy file");

      // file mode as Headscale answers it: the file, no updatedAt, and no changes through the API
      Http.Answer got = admin.get("/api/v1/policy");
      assertThat(got.json().path("policy").asText()).isEqualTo(V1);
      assertThat(got.json().has("updatedAt")).isTrue();
      assertThat(got.json().path("updatedAt").isNull()).isTrue();
      Http.Answer put = admin.put("/api/v1/policy", "{\"policy\":\"{}\"}");
      assertThat(put.status()).isBetween(400, 499);
      assertThat(put.json().path("message").asText()).contains("update is disabled");

      Files.writeString(policyFile, V2);
      hangup(server);
      JsonNode reloaded = awaitInForce(server, admin, V2, "(SIGHUP)");
      assertThat(reloaded.path("actorType").asText()).isEqualTo("SYSTEM");
      assertThat(reloaded.path("origin").asText()).isEqualTo("SYSTEM");
      assertServing(server, processId, port);

      Files.writeString(policyFile, BROKEN);
      hangup(server);
      Poll.until(
          Duration.ofMinutes(1),
          100,
          () -> {
            assertThat(server.isAlive()).as("the server is running").isTrue();
            return policyHealth(metricsPort).path("details").has("file_error");
          },
          () -> "no file_error in /health: " + policyHealth(metricsPort) + "\n" + server.log());
      JsonNode details = policyHealth(metricsPort).path("details");
      assertThat(details.path("file_error").asText()).contains("refused", "parsing HuJSON:");
      assertThat(admin.get("/api/v1/health").json().path("policyError").asText())
          .contains("parsing HuJSON:");
      assertThat(server.log()).contains("refused, the policy in force stays");
      assertThat(lastVersion(admin).path("sha256").asText()).isEqualTo(sha256(V2));
      assertServing(server, processId, port);

      // a good file again: the error is gone
      Files.writeString(policyFile, V2);
      hangup(server);
      Poll.until(
          Duration.ofMinutes(1),
          100,
          () -> !policyHealth(metricsPort).path("details").has("file_error"),
          () -> "file_error stays: " + policyHealth(metricsPort));
      assertServing(server, processId, port);
    } finally {
      // asserted after, so a failure above is not hidden behind the exit code
      exit = server.stopGracefully(60);
    }
    assertThat(exit).isIn(0, 143);
  }

  private static void hangup(ServerProcess server) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).inheritIO().start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** Still the same process, and both health checks answer. */
  private static void assertServing(ServerProcess server, String processId, int port) {
    assertThat(server.isAlive()).as("the server survived SIGHUP; log:\n%s", server.log()).isTrue();
    assertThat(server.processId()).isEqualTo(processId);
    Http.Answer health = new Http("http://127.0.0.1:" + port).get("/health");
    assertThat(health.status()).as(health.toString()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("pass");
    server.awaitHealthy(Duration.ofSeconds(30));
  }

  /** Waits until the newest policy version is {@code text}, loaded by an actor named so. */
  private static JsonNode awaitInForce(
      ServerProcess server, Http admin, String text, String actorName) {
    String sha = sha256(text);
    Poll.until(
        Duration.ofMinutes(1),
        100,
        () -> {
          assertThat(server.isAlive()).as("the server is running; log:\n%s", server.log()).isTrue();
          return sha.equals(lastVersion(admin).path("sha256").asText());
        },
        () -> "policy not in force; history: " + admin.get("/api/v1/policy/history").text());
    JsonNode version = lastVersion(admin);
    assertThat(version.path("actorName").asText()).contains(actorName);
    return version;
  }

  private static JsonNode lastVersion(Http admin) {
    JsonNode versions = admin.get("/api/v1/policy/history").json().path("versions");
    return versions.size() == 0 ? versions : versions.get(versions.size() - 1);
  }

  private static JsonNode policyHealth(int metricsPort) {
    return new Http("http://127.0.0.1:" + metricsPort)
        .get("/health")
        .json()
        .path("components")
        .path("policy");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
