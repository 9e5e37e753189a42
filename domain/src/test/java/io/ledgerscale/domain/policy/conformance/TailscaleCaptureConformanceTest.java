// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every scenario captured from Tailscale's control plane
 * (../shared/conformance/tailscale-policy-captures, read in place) through the policy engine. A
 * scenario listed in docs/policy-deviations.md is expected to differ; the test fails if a listed
 * scenario passes (so the list shrinks) or an unlisted one differs.
 */
class TailscaleCaptureConformanceTest {
  private static final String[] FOLDERS = {"acl_results", "routes_results", "policytest_results"};
  private static final Map<String, AtomicInteger[]> COUNTS = new ConcurrentHashMap<>();

  @TestFactory
  Stream<DynamicNode> shouldMatchTailscaleCaptures() throws IOException {
    Path shared = sharedDir();
    Path captures = shared.resolve("conformance").resolve("tailscale-policy-captures");
    Map<String, String> deviations =
        Deviations.read(repoRoot().resolve("docs").resolve("policy-deviations.md"));
    List<DynamicNode> folders = new ArrayList<>();
    Set<String> allIds = new HashSet<>();
    for (String folder : FOLDERS) {
      List<Path> files;
      try (Stream<Path> s = Files.list(captures.resolve(folder))) {
        files = s.filter(p -> p.toString().endsWith(".hujson")).sorted().toList();
      }
      AtomicInteger[] counts = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
      COUNTS.put(folder, counts);
      List<DynamicTest> tests = new ArrayList<>();
      for (Path f : files) {
        String id = f.getFileName().toString().replace(".hujson", "");
        allIds.add(id);
        tests.add(
            DynamicTest.dynamicTest(id, f.toUri(), () -> run(f, id, deviations.get(id), counts)));
      }
      folders.add(DynamicContainer.dynamicContainer(folder, tests));
    }
    folders.add(
        DynamicTest.dynamicTest(
            "deviation list names only captured scenarios",
            () -> {
              Set<String> unknown = new TreeSet<>(deviations.keySet());
              unknown.removeAll(allIds);
              if (!unknown.isEmpty()) {
                fail("docs/policy-deviations.md lists scenarios that do not exist: " + unknown);
              }
            }));
    return folders.stream();
  }

  private static void run(Path file, String id, String deviation, AtomicInteger[] counts) {
    List<String> diffs;
    try {
      diffs = ConformanceCheck.differences(CaptureScenario.read(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (diffs.isEmpty()) {
      counts[0].incrementAndGet();
      if (deviation != null) {
        fail(
            id
                + " now matches Tailscale: remove it from docs/policy-deviations.md (listed as: "
                + deviation
                + ")");
      }
      return;
    }
    if (deviation != null) {
      counts[1].incrementAndGet();
      return;
    }
    counts[2].incrementAndGet();
    fail(id + " differs from Tailscale:\n  " + String.join("\n  ", diffs));
  }

  @AfterAll
  static void report() {
    StringBuilder sb = new StringBuilder("Tailscale capture conformance:");
    new TreeMap<>(COUNTS)
        .forEach(
            (folder, c) -> {
              int total = c[0].get() + c[1].get() + c[2].get();
              sb.append(
                  String.format(
                      "%n  %-20s %3d/%3d pass, %3d listed deviations, %3d unexpected failures",
                      folder, c[0].get(), total, c[1].get(), c[2].get()));
            });
    System.out.println(sb);
  }

  /**
   * System property ledgerscale.shared.dir, else the nearest ancestor holding shared/conformance.
   */
  static Path sharedDir() {
    String prop = System.getProperty("ledgerscale.shared.dir");
    if (prop != null && !prop.isBlank()) {
      return Paths.get(prop);
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("shared").resolve("conformance"))) {
        return p.resolve("shared");
      }
    }
    throw new IllegalStateException(
        "no shared/conformance above "
            + Paths.get("").toAbsolutePath()
            + "; set -Dledgerscale.shared.dir=<path to shared>");
  }

  /** The repository root: the nearest ancestor with a docs directory and a root pom. */
  static Path repoRoot() {
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("docs"))
          && Files.exists(p.resolve("pom.xml"))
          && Files.exists(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "repository root not found above " + Paths.get("").toAbsolutePath());
  }
}
