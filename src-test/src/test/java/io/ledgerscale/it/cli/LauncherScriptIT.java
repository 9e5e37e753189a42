// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ledgerscale} script at the repository root, as a user runs it (a real process, from
 * another working directory): it unpacks the built jar, runs the CLI straight from it and makes the
 * CLI's class-data archive on first use, which later calls map without a word on stderr.
 */
class LauncherScriptIT {
  private static final Path ROOT = Path.of(System.getProperty("ledgerscale.repo.root", "..."));
  private static final Path SCRIPT = ROOT.resolve("ledgerscale");

  @TempDir Path elsewhere;

  record Run(int status, String out, String err) {}

  @Test
  void serveHelpPrintsHelpAndStartsNothing() throws Exception {
    Run run = run("serve", "--help");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("Usage: ledgerscale serve").contains("listen_addr");
  }

  @Test
  void theCliAnswersFromAnyDirectoryAndGetsItsArchive() throws Exception {
    Run first = run("version");
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("ledgerscale ");

    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (archives().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(1000);
    }
    assertThat(archives())
        .as("the CLI's class-data archive under server/target/launch")
        .isNotEmpty();

    Run withArchive = run("-o", "json", "version");
    assertThat(withArchive.status()).as(withArchive.err()).isZero();
    assertThat(withArchive.out()).contains("\"version\"");
    assertThat(withArchive.err()).as("no JVM warning about the archive").isEmpty();
  }

  @Test
  void configtestFailsOnABadConfigWithTheReason() throws Exception {
    Path bad = Files.writeString(elsewhere.resolve("config.yaml"), "listen_addr: nowhere\n");

    Run run = run("configtest", "-c", bad.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("listen_addr");
  }

  /** The archives in the unpacked layout of the jar as built now (named by its mtime and size). */
  private static List<Path> archives() throws IOException {
    Path jar = ROOT.resolve("server/target/ledgerscale-exec.jar");
    Path launch =
        ROOT.resolve("server/target/launch")
            .resolve(Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS) + "-" + Files.size(jar));
    if (!Files.isDirectory(launch)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(launch)) {
      return files.filter(f -> f.getFileName().toString().matches("cli-\\d+\\.jsa")).toList();
    }
  }

  private Run run(String... args) throws Exception {
    assertThat(ROOT.resolve("server/target/ledgerscale-exec.jar"))
        .as("the server module is packaged before the integration tests run")
        .exists();
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    Path out = elsewhere.resolve("out-" + System.nanoTime());
    Path err = elsewhere.resolve("err-" + System.nanoTime());
    Process process =
        new ProcessBuilder(command)
            .directory(elsewhere.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("ledgerscale " + String.join(" ", args) + " did not end in 120 s");
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
