// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.scale;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The load generator from tools/loadgen, built (or found up to date) by its build.sh. */
final class LoadgenBuild {
  private static Path binary;

  private LoadgenBuild() {}

  static synchronized Path binary() {
    if (binary != null) {
      return binary;
    }
    assumeTrue(onPath("go"), "no Go toolchain on PATH");
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("tools/loadgen/build.sh"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("cannot find tools/loadgen/build.sh");
    }
    try {
      Process p =
          new ProcessBuilder("bash", root.resolve("tools/loadgen/build.sh").toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("tools/loadgen/build.sh failed");
      }
      List<String> lines = out.lines().toList();
      binary = Path.of(lines.get(lines.size() - 1));
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
