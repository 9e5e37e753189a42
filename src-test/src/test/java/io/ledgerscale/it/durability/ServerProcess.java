// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.durability;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server as a separate operating-system process ({@code java io.ledgerscale.server.Ledgerscale serve
 * -c FILE}) on this test's class path, so a test can kill it the hard way.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int metricsPort;

  private ServerProcess(Process process, int metricsPort) {
    this.process = process;
    this.metricsPort = metricsPort;
  }

  static ServerProcess start(Path config, int metricsPort, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.ledgerscale.server.Ledgerscale", "serve", "-c", config.toString()));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ServerProcess(builder.start(), metricsPort);
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the actuator to answer UP; fails early if the process died. */
  void awaitHealthy(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("server exited with " + process.exitValue() + " before it was healthy");
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) URI.create("http://127.0.0.1:" + metricsPort + "/health").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("server not healthy after " + timeout);
  }

  /** SIGKILL: no shutdown hook runs, the embedded PostgreSQL is left running on its own. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: Spring shuts down and stops the embedded PostgreSQL. */
  int stopGracefully() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      killHard();
    }
  }

  static boolean exists(Path file) {
    return Files.exists(file);
  }
}
