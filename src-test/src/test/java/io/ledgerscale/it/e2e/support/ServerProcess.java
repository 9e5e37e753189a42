// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server as a separate operating-system process ({@code java
 * io.ledgerscale.server.Ledgerscale serve -c FILE}) on this test's class path, its output appended
 * to a log file. The one way every suite that needs a real server process (e2e, durability) starts,
 * waits for and stops it.
 */
public final class ServerProcess {
  private final Process process;
  private final int metricsPort;
  private final Path log;

  private ServerProcess(Process process, int metricsPort, Path log) {
    this.process = process;
    this.metricsPort = metricsPort;
    this.log = log;
  }

  /**
   * Starts the process; {@code metricsPort} is the config's metrics_listen_addr port, where /health
   * answers.
   */
  public static ServerProcess start(Path config, int metricsPort, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java,
                    // the options the server ships with, so the tests run what operators run
                    "@" + GoToolBuild.repoRoot().resolve("server/jvm.options"),
                    "-Xmx512m",
                    "-Daxoniq.update-checker.disabled=true",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.ledgerscale.server.Ledgerscale",
                    "serve",
                    "-c",
                    config.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ServerProcess(Children.start(pb), metricsPort, log);
  }

  /** Waits for /health to answer UP; fails at once, with the log, if the process died first. */
  public void awaitHealthy(Duration timeout) {
    Poll.until(timeout, 250, this::healthy, () -> "server not healthy; log:\n" + log());
  }

  private boolean healthy() {
    if (!process.isAlive()) {
      throw new AssertionError("server exited with " + process.exitValue() + "; log:\n" + log());
    }
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + metricsPort + "/health").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      return c.getResponseCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The operating system's process id, for a test that sends the process a signal. */
  public long pid() {
    return process.pid();
  }

  /** "pid@start time", so a test can tell the process was not restarted. */
  public String processId() {
    return process.pid() + "@" + process.info().startInstant().map(Object::toString).orElse("?");
  }

  /**
   * SIGTERM (Spring shuts down and stops the embedded PostgreSQL), SIGKILL after the grace period.
   */
  public int stopGracefully(long graceSeconds) {
    return Children.stop(process, graceSeconds);
  }

  /** SIGKILL: no shutdown hook runs, so an embedded PostgreSQL is left running on its own. */
  public void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    Children.stop(process, 0);
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }
}
