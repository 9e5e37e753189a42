// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Our Go tools (tools/tailscale, tools/loadgen), built or found up to date by their own build.sh,
 * which prints the output path last. Built once per test JVM. A machine without Go fails here with
 * that reason: these tests have no meaning without the real client code.
 */
public final class GoToolBuild {
  private static final ConcurrentHashMap<List<String>, Path> BUILT = new ConcurrentHashMap<>();

  private GoToolBuild() {}

  /** Runs {@code script} (relative to the repository) with {@code args}; answers its last line. */
  public static synchronized Path output(String script, String... args) {
    List<String> key = new ArrayList<>(List.of(script));
    key.addAll(List.of(args));
    Path cached = BUILT.get(key);
    if (cached != null) {
      return cached;
    }
    List<String> command = new ArrayList<>(List.of("bash", repoRoot().resolve(script).toString()));
    command.addAll(List.of(args));
    String what = String.join(" ", key);
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
      String path = pb.environment().getOrDefault("PATH", "");
      pb.environment().put("PATH", path + ":/usr/local/go/bin");
      Process p = Children.start(pb);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(40, TimeUnit.MINUTES) || p.exitValue() != 0) {
        Children.stop(p, 1);
        throw new IllegalStateException(what + " failed (is Go installed?)");
      }
      Children.stop(p, 1);
      List<String> lines = out.lines().toList();
      if (lines.isEmpty()) {
        throw new IllegalStateException(what + " printed no output path");
      }
      Path built = Path.of(lines.get(lines.size() - 1));
      BUILT.put(key, built);
      return built;
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
