// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.it.e2e.support.Poll;
import io.ledgerscale.it.e2e.support.Ports;
import io.ledgerscale.it.e2e.support.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL is killed with SIGKILL under a write load, and killed again each time it
 * comes back for a few seconds, while the server keeps running. /health must say DOWN at once;
 * writes meanwhile must be refused with 503, Retry-After and a problem document (not 500, not a
 * hang); the server must bring its database back by itself; every write it acknowledged must be
 * kept and reach the read side; and writes must work again, all without restarting the server.
 */
class EmbeddedPostgresCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int WRITERS = 3;

  @Test
  void shouldRecoverByItselfWhenItsPostgresIsKilled() throws Exception {
    Path dir =
        Files.createDirectories(
            Path.of("target", "pg-crash-" + System.nanoTime()).toAbsolutePath());
    Path dataDir = dir.resolve("data");
    int apiPort = Ports.freeTcp();
    int metricsPort = Ports.freeTcp();
    Path config =
        Files.writeString(
            dir.resolve("config.yaml"),
            "listen_addr: 127.0.0.1:"
                + apiPort
                + "\nmetrics_listen_addr: 127.0.0.1:"
                + metricsPort
                + "\ndata_dir: "
                + dataDir
                + "\ndatabase:\n  type: embedded\n  embedded:\n    port: "
                + Ports.freeTcp()
                + "\n    binaries_path: "
                + Path.of("target", "postgres-bin").toAbsolutePath()
                + "\n");
    ServerProcess server = ServerProcess.start(config, metricsPort, dir.resolve("server.log"));
    Writers writers = null;
    try {
      server.awaitHealthy(Duration.ofMinutes(3));
      Path keyFile = dataDir.resolve("initial-api-key");
      Poll.until(Duration.ofMinutes(1), 100, () -> Files.exists(keyFile), () -> "no api key");
      String key = Files.readString(keyFile).strip();
      writers = new Writers("http://127.0.0.1:" + apiPort, key);
      writers.start();
      Writers w = writers;
      Poll.until(Duration.ofMinutes(2), 100, () -> w.acknowledged.size() >= 20, w::describe);

      Set<Long> killed = new HashSet<>();
      long first = EmbeddedDatabase.postmasterPid(dataDir).orElseThrow();
      kill(first, killed);
      long downAfter =
          Poll.until(
              Duration.ofSeconds(2),
              20,
              () -> health(metricsPort) == 503,
              () -> "/health did not answer DOWN within 2 s of the kill");
      // keep it down a while: each postmaster the supervisor starts is killed too
      long keepDownUntil = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (System.nanoTime() < keepDownUntil) {
        EmbeddedDatabase.postmasterPid(dataDir)
            .filter(pid -> !killed.contains(pid))
            .ifPresent(pid -> kill(pid, killed));
        assertThat(health(metricsPort))
            .as("/health answers (DOWN) while the database is down")
            .isIn(200, 503);
        Thread.sleep(50);
      }
      int beforeRecovery = writers.acknowledged.size();

      server.awaitHealthy(Duration.ofMinutes(2));
      assertThat(server.isAlive()).isTrue();
      Poll.until(
          Duration.ofMinutes(2),
          100,
          () -> w.acknowledged.size() >= beforeRecovery + 10,
          () -> "writes do not succeed again after recovery: " + w.describe());
      writers.stop();

      assertThat(writers.failures).as("every write was acknowledged or refused with 503").isEmpty();
      assertThat(writers.refused.get())
          .as("writes while the database was down were refused with 503 + Retry-After")
          .isPositive();
      Set<String> acknowledged = new HashSet<>(writers.acknowledged);
      Poll.until(
          Duration.ofMinutes(2),
          250,
          () -> userNames(apiPort, key).containsAll(acknowledged),
          () ->
              "acknowledged users missing from the user list: "
                  + missing(apiPort, key, acknowledged));
      assertThat(downAfter).isLessThanOrEqualTo(2000);
      assertThat(killed).hasSizeGreaterThanOrEqualTo(1);
      assertThat(server.stopGracefully(60)).isIn(0, 143);
    } finally {
      if (writers != null) {
        writers.stop();
      }
      server.killHard();
      EmbeddedDatabase.postmasterPid(dataDir)
          .flatMap(ProcessHandle::of)
          .ifPresent(ProcessHandle::destroy);
    }
  }

  private static void kill(long pid, Set<Long> killed) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    killed.add(pid);
  }

  private static int health(int metricsPort) {
    try {
      return CLIENT
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static Set<String> userNames(int apiPort, String key) {
    try {
      HttpResponse<String> r =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/user"))
                  .header("Authorization", "Bearer " + key)
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Set<String> names = new HashSet<>();
      for (JsonNode user : JSON.readTree(r.body()).path("users")) {
        names.add(user.path("name").asText());
      }
      return names;
    } catch (Exception e) {
      return Set.of();
    }
  }

  private static List<String> missing(int apiPort, String key, Set<String> acknowledged) {
    Set<String> present = userNames(apiPort, key);
    return acknowledged.stream().filter(n -> !present.contains(n)).sorted().toList();
  }

  /** Creates users in a loop on a few threads, recording what the server answered. */
  private static final class Writers {
    final String base;
    final String key;
    final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<Thread> threads = new ArrayList<>();

    Writers(String base, String key) {
      this.base = base;
      this.key = key;
    }

    void start() {
      for (int t = 0; t < WRITERS; t++) {
        int writer = t;
        Thread thread = new Thread(() -> write(writer), "writer-" + t);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    private void write(int writer) {
      for (int i = 0; running.get(); i++) {
        String name = "crash-" + writer + "-" + i;
        try {
          HttpResponse<String> r =
              CLIENT.send(
                  HttpRequest.newBuilder(URI.create(base + "/api/v1/user"))
                      .header("Authorization", "Bearer " + key)
                      .header("Content-Type", "application/json")
                      .timeout(Duration.ofSeconds(30))
                      .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            acknowledged.add(name);
          } else if (r.statusCode() == 503
              && r.headers().firstValue("Retry-After").isPresent()
              && r.headers().firstValue("Content-Type").orElse("").contains("problem+json")) {
            refused.incrementAndGet();
            Thread.sleep(200);
          } else {
            failures.add(name + ": " + r.statusCode() + " " + r.headers().map() + " " + r.body());
          }
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          failures.add(name + ": " + e);
        }
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(60_000);
      }
    }

    String describe() {
      return acknowledged.size() + " acknowledged, " + refused + " refused, failures " + failures;
    }
  }
}
