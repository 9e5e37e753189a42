// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real, unprivileged tailscaled (userspace networking, its own state directory and socket, no log
 * upload), and the tailscale CLI talking to it. Stopped by {@link #close()}.
 */
public final class Tailscaled implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final Path socket;
  private final Process daemon;

  public Tailscaled(Path dir) throws IOException {
    this(dir, GoTailscale.VERSION);
  }

  public Tailscaled(Path dir, String version) throws IOException {
    this.bin = GoTailscale.binaries(version);
    this.dir = dir;
    this.socket = dir.resolve("tailscaled.sock");
    ProcessBuilder pb =
        new ProcessBuilder(
                bin.resolve("tailscaled").toString(),
                "--tun=userspace-networking",
                "--socket=" + socket,
                "--statedir=" + dir.resolve("state"),
                "--port=0")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("tailscaled.log").toFile());
    env(pb.environment());
    daemon = pb.start();
    long deadline = System.currentTimeMillis() + 15_000;
    while (!Files.exists(socket) && System.currentTimeMillis() < deadline && daemon.isAlive()) {
      sleep(50);
    }
    if (!Files.exists(socket)) {
      close();
      throw new IllegalStateException("tailscaled did not start:\n" + log());
    }
  }

  private static void env(Map<String, String> env) {
    env.put("TS_NO_LOGS_NO_SUPPORT", "true");
    env.put("TS_DISABLE_PORTMAPPER", "1");
    env.put("TS_ASSUME_NETWORK_UP_FOR_TEST", "1");
    env.put("TS_DEBUG_MAP", "1");
  }

  /** Runs the CLI against this daemon; returns exit code and combined output. */
  public Result cli(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of(bin.resolve("tailscale").toString(), "--socket=" + socket));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    env(pb.environment());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.isAlive() ? -1 : p.exitValue(), out);
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("tailscaled.log"));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    daemon.destroy();
    try {
      if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
        daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      daemon.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  public record Result(int exitCode, String output) {}

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
