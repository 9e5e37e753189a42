// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real Tailscale client and our Go helper, built by tools/tailscale/build.sh (cached in
 * .tools/, so only the first run pays for the Go build). Tests are skipped, not failed, when no Go
 * toolchain is installed.
 */
public final class GoTailscale {
  /** The pinned version tests use unless -Dledgerscale.tailscale.version says otherwise. */
  public static final String VERSION =
      System.getProperty("ledgerscale.tailscale.version", "v1.80.3");

  private static final ConcurrentHashMap<String, Path> BUILT = new ConcurrentHashMap<>();

  private GoTailscale() {}

  public static Path binaries() {
    return binaries(VERSION);
  }

  public static synchronized Path binaries(String version) {
    Path cached = BUILT.get(version);
    if (cached != null) {
      return cached;
    }
    assumeTrue(onPath("go"), "no Go toolchain on PATH");
    Path script = repoRoot().resolve("tools/tailscale/build.sh");
    try {
      Process p =
          new ProcessBuilder("bash", script.toString(), version)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("tools/tailscale/build.sh " + version + " failed");
      }
      List<String> lines = out.lines().toList();
      Path dir = Path.of(lines.get(lines.size() - 1));
      BUILT.put(version, dir);
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("tools/tailscale/build.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "cannot find tools/tailscale/build.sh above " + Path.of("").toAbsolutePath());
    }
    return p;
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
