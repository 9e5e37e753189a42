// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * tailscaled, tailscale and derper from the tailscale.com Go module at a pinned version, built (and
 * cached in .tools/) by tools/tailscale/build.sh. A machine without Go fails here with that reason:
 * the e2e suite has no meaning without the real client.
 */
public final class TailscaleBuild {
  public static final String NEWEST = "v1.102.5";

  /** Capability version 113, the oldest client line Headscale supports. */
  public static final String OLDEST = "v1.80.3";

  private static final ConcurrentHashMap<String, Path> BUILT = new ConcurrentHashMap<>();

  private TailscaleBuild() {}

  public static synchronized Path binaries(String version) {
    Path cached = BUILT.get(version);
    if (cached != null) {
      return cached;
    }
    Path script = repoRoot().resolve("tools/tailscale/build.sh");
    try {
      ProcessBuilder pb =
          new ProcessBuilder("bash", script.toString(), version)
              .redirectError(ProcessBuilder.Redirect.INHERIT);
      String path = pb.environment().getOrDefault("PATH", "");
      pb.environment().put("PATH", path + ":/usr/local/go/bin");
      Process p = Children.start(pb);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(40, TimeUnit.MINUTES) || p.exitValue() != 0) {
        Children.stop(p, 1);
        throw new IllegalStateException(
            "tools/tailscale/build.sh " + version + " failed (is Go installed?)");
      }
      Children.stop(p, 1);
      List<String> lines = out.lines().toList();
      Path dir = Path.of(lines.get(lines.size() - 1));
      for (String exe : List.of("tailscaled", "tailscale", "derper")) {
        if (!Files.isExecutable(dir.resolve(exe))) {
          throw new IllegalStateException(exe + " missing in " + dir);
        }
      }
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
    String configured = System.getProperty("ledgerscale.repo.root");
    if (configured != null && Files.exists(Path.of(configured, "tools/tailscale/build.sh"))) {
      return Path.of(configured).toAbsolutePath();
    }
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
}
