// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One client without credentials opens more idle Noise sessions than the server's derived cap (each
 * holds one file descriptor; the cap is half of what the fd limit leaves after a reserve). The
 * server keeps its reserve, the admin API keeps answering, and every idle session is closed after
 * the (test-sized) handshake timeout, its fds given back.
 */
class IdleNoiseSessionsIT extends LimitedServer {

  @Test
  void shouldKeepAnsweringWhileOneClientHoldsIdleSessionsAndCloseThemAll() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc to count fds");
    long fdLimit =
        ((com.sun.management.UnixOperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean())
            .getMaxFileDescriptorCount();
    assumeTrue(fdLimit <= 70_000, "fd limit " + fdLimit + " needs too many sessions to exhaust");
    assertThat(adminStatus()).isEqualTo(200);
    int baseline = openFds();
    // more sessions than the derived cap admits; the flood's own process holds one fd for each
    int attempts = (int) (fdLimit / 2) + 500;

    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicInteger mostFds = new AtomicInteger();
    Thread sampler =
        new Thread(
            () -> {
              while (flooding.get()) {
                mostFds.accumulateAndGet(openFds(), Math::max);
                sleep(100);
              }
            });
    sampler.start();
    Process flood =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                IdleSessionFlood.class.getName(),
                Integer.toString(port),
                HexFormat.of().formatHex(serverKey.publicKey()),
                Integer.toString(attempts))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(flood.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> line(out));
      String summary = ready.get(10, TimeUnit.MINUTES);
      assertThat(summary).as("flood summary").startsWith("ready");

      // every session the flood could get is held now: the admin API must still answer
      int statusWhileHeld = adminStatus();
      flooding.set(false);
      sampler.join();
      System.out.printf(
          "idle-session flood: %s; server fds: %d before, %d at most, limit %d%n",
          summary, baseline, mostFds.get(), fdLimit);
      assertThat(statusWhileHeld).as("admin API while %s", summary).isEqualTo(200);
      assertThat((long) mostFds.get())
          .as("most fds the server held during the flood (%s)", summary)
          .isLessThan(fdLimit - 256);
      assertThat(summary).as("the session cap refused the rest").doesNotContain(" refused=0 ");

      // the server ends every session that never made a request
      CompletableFuture<String> closed = CompletableFuture.supplyAsync(() -> line(out));
      assertThat(closed.get(NOISE_TIMEOUT.toSeconds() + 120, TimeUnit.SECONDS))
          .startsWith("closed");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (openFds() > baseline + 64 && System.nanoTime() < deadline) {
        sleep(100);
      }
      assertThat(openFds())
          .as("fds after the sessions ended (before: %d)", baseline)
          .isLessThanOrEqualTo(baseline + 64);
      assertThat(adminStatus()).isEqualTo(200);
    } finally {
      flooding.set(false);
      flood.destroyForcibly();
      flood.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String line(BufferedReader out) {
    try {
      String l = out.readLine();
      return l == null ? "(flood ended without a line)" : l;
    } catch (java.io.IOException e) {
      return "(flood output failed: " + e + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
