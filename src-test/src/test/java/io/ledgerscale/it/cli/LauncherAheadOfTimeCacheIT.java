// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ledgerscale.it.e2e.support.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./ledgerscale serve} on Java 25 or later: the first run leaves an ahead-of-time cache as
 * it stops, the launcher checks it and the next start maps it, with no warning from the JVM. Runs
 * where a JDK 25 or later is installed beside the build's JDK (property {@code
 * ledgerscale.test.java25.home}, else the first under /usr/lib/jvm).
 */
class LauncherAheadOfTimeCacheIT {
  private static final Path ROOT = Path.of(System.getProperty("ledgerscale.repo.root", "..."));
  private static final Pattern FEATURE = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

  @TempDir Path dir;

  @Test
  void theSecondStartMapsTheCacheTheFirstRunLeft() throws Exception {
    Optional<Path> javaHome = java25OrLater();
    assumeTrue(javaHome.isPresent(), "no JDK 25 or later installed");
    Path launch = launchFolder();
    try (Stream<Path> old = Files.exists(launch) ? Files.list(launch) : Stream.empty()) {
      for (Path p : old.filter(f -> f.getFileName().toString().contains(".aot")).toList()) {
        Files.delete(p);
      }
    }
    Path config = config();

    Process first = serve(javaHome.get(), config, dir.resolve("first.log"));
    awaitStarted(first, dir.resolve("first.log"));
    stop(first);
    assertThat(aotFiles(launch)).as("the cache the first run wrote as it stopped").isNotEmpty();

    Process second = serve(javaHome.get(), config, dir.resolve("second.log"));
    awaitStarted(second, dir.resolve("second.log"));
    List<String> arguments = List.of(second.info().arguments().orElse(new String[0]));
    stop(second);
    assertThat(arguments)
        .as("the second start's JVM options")
        .anyMatch(a -> a.matches("-XX:AOTCache=.*/server-\\d+\\.aot"));
    assertThat(Files.readAllLines(dir.resolve("second.log")))
        .as("no JVM warning on a start with the cache")
        .noneMatch(line -> line.startsWith("WARNING") || line.contains("[error]"));
  }

  private Path config() throws IOException {
    return Files.writeString(
        dir.resolve("config.yaml"),
        "server_url: http://127.0.0.1:"
            + Ports.freeTcp()
            + "\nlisten_addr: 127.0.0.1:"
            + Ports.freeTcp()
            + "\nmetrics_listen_addr: 127.0.0.1:"
            + Ports.freeTcp()
            + "\ndata_dir: "
            + dir.resolve("data")
            + "\ndatabase:\n  type: embedded\n  embedded:\n    port: "
            + Ports.freeTcp()
            + "\n    binaries_path: "
            + Path.of("target", "postgres-bin").toAbsolutePath()
            + "\n");
  }

  private Process serve(Path javaHome, Path config, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(ROOT.resolve("ledgerscale").toString(), "serve", "-c", config.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("JAVA_HOME", javaHome.toString());
    return builder.start();
  }

  private static void awaitStarted(Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(log, StandardCharsets.UTF_8).contains("Started Ledgerscale")) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the server stopped: " + Files.readString(log));
      }
      Thread.sleep(250);
    }
    process.destroyForcibly();
    throw new AssertionError("no start in 4 minutes: " + Files.readString(log));
  }

  /** SIGTERM, as systemd stops it; the first run assembles its cache before it exits. */
  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("the server did not stop in 3 minutes");
    }
  }

  private static List<Path> aotFiles(Path launch) throws IOException {
    try (Stream<Path> files = Files.list(launch)) {
      return files.filter(f -> f.getFileName().toString().matches("server-\\d+\\.aot.*")).toList();
    }
  }

  private static Path launchFolder() throws IOException {
    Path jar = ROOT.resolve("server/target/ledgerscale-exec.jar");
    return ROOT.resolve("server/target/launch")
        .resolve(Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS) + "-" + Files.size(jar));
  }

  private static Optional<Path> java25OrLater() throws IOException {
    String configured = System.getProperty("ledgerscale.test.java25.home");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes.sorted().filter(LauncherAheadOfTimeCacheIT::isJava25OrLater).findFirst();
    }
  }

  private static boolean isJava25OrLater(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
      return false;
    }
    try {
      Matcher m = FEATURE.matcher(Files.readString(release));
      return m.find() && Integer.parseInt(m.group(1)) >= 25;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }
}
