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
 * (../shared/conformance/tailscale-policy-captures, read in place, plain or gzipped) through the
 * policy engine and compares all a capture holds (see {@link ConformanceCheck}). A scenario listed
 * in docs/policy-deviations.md (kept on purpose) or in the baseline {@value #BASELINE} (known to
 * fail, still to fix) is expected to differ; the test fails if an unlisted one differs, and if a
 * listed one passes (so the lists shrink). {@code -Dledgerscale.conformance.writeBaseline=true}
 * rewrites the baseline to today's failures; {@code -Dledgerscale.conformance.verbose=true} prints
 * every difference, listed or not.
 */
class TailscaleCaptureConformanceTest {
  private static final String[] FOLDERS = {
    "acl_results",
    "routes_results",
    "policytest_results",
    "grant_results",
    "ssh_results",
    "sshtest_results",
    "nodeattrs_results",
    "issue_3212"
  };
  static final String BASELINE = "src/test/resources/policy-conformance/known-failures.txt";

  /** Aspects in table order; see {@link ConformanceCheck}. */
  static final List<String> ASPECTS =
      List.of("refusal", "filter", "peers", "ssh", "caps", "peer-routes", "peer-caps", "approval");

  /** "id aspect" for every aspect that differs and is not a documented deviation. */
  private static final Set<String> FAILING = ConcurrentHashMap.newKeySet();

  /** Per folder: [pass, known failures, unexpected failures, then one count per aspect]. */
  private static final Map<String, AtomicInteger[]> COUNTS = new ConcurrentHashMap<>();

  @TestFactory
  Stream<DynamicNode> shouldMatchTailscaleCaptures() throws IOException {
    Path shared = sharedDir();
    Path captures = shared.resolve("conformance").resolve("tailscale-policy-captures");
    Map<String, String> deviations =
        Deviations.read(repoRoot().resolve("docs").resolve("policy-deviations.md"));
    Set<String> baseline = Baseline.read(baselineFile());
    List<DynamicNode> folders = new ArrayList<>();
    Set<String> allIds = new HashSet<>();
    for (String folder : FOLDERS) {
      List<Path> files;
      try (Stream<Path> s = Files.list(captures.resolve(folder))) {
        files =
            s.filter(p -> p.toString().endsWith(".hujson") || p.toString().endsWith(".hujson.gz"))
                .sorted()
                .toList();
      }
      AtomicInteger[] counts = new AtomicInteger[3 + ASPECTS.size()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new AtomicInteger();
      }
      COUNTS.put(folder, counts);
      List<DynamicTest> tests = new ArrayList<>();
      for (Path f : files) {
        String id = f.getFileName().toString().replace(".gz", "").replace(".hujson", "");
        allIds.add(id);
        tests.add(
            DynamicTest.dynamicTest(
                id, f.toUri(), () -> run(f, id, deviations.get(id), baseline, counts)));
      }
      folders.add(DynamicContainer.dynamicContainer(folder, tests));
    }
    folders.add(
        DynamicTest.dynamicTest(
            "deviation list and baseline name only captured scenarios",
            () -> {
              Set<String> unknown = new TreeSet<>(deviations.keySet());
              baseline.forEach(b -> unknown.add(b.split(" ")[0]));
              unknown.removeAll(allIds);
              if (!unknown.isEmpty()) {
                fail(
                    "docs/policy-deviations.md or "
                        + BASELINE
                        + " lists scenarios that do not exist: "
                        + unknown);
              }
            }));
    return folders.stream();
  }

  private static void run(
      Path file, String id, String deviation, Set<String> baseline, AtomicInteger[] counts) {
    List<String> diffs;
    try {
      diffs = ConformanceCheck.differences(CaptureScenario.read(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> failing = new TreeSet<>();
    for (String d : diffs) {
      failing.add(d.substring(1, d.indexOf(']')));
    }
    failing.forEach(a -> counts[3 + ASPECTS.indexOf(a)].incrementAndGet());
    if (!diffs.isEmpty() && Boolean.getBoolean("ledgerscale.conformance.verbose")) {
      System.out.println("DIFF " + id + ":\n  " + String.join("\n  ", diffs));
    }
    Set<String> listed = new TreeSet<>();
    for (String a : ASPECTS) {
      if (baseline.contains(id + " " + a)) {
        listed.add(a);
      }
    }
    if (deviation != null) {
      if (failing.isEmpty()) {
        counts[0].incrementAndGet();
        fail(id + " now matches Tailscale: remove it from docs/policy-deviations.md");
      }
      counts[1].incrementAndGet();
      return;
    }
    failing.forEach(a -> FAILING.add(id + " " + a));
    Set<String> unexpected = new TreeSet<>(failing);
    unexpected.removeAll(listed);
    Set<String> fixed = new TreeSet<>(listed);
    fixed.removeAll(failing);
    counts[failing.isEmpty() ? 0 : unexpected.isEmpty() ? 1 : 2].incrementAndGet();
    if (!unexpected.isEmpty()) {
      fail(
          id
              + " differs from Tailscale in "
              + unexpected
              + " (a regression unless listed):\n  "
              + String.join("\n  ", diffs));
    }
    if (!fixed.isEmpty()) {
      fail(
          id
              + " now matches Tailscale in "
              + fixed
              + ": remove those lines from "
              + BASELINE
              + " (-Dledgerscale.conformance.writeBaseline=true rewrites it)");
    }
  }

  @AfterAll
  static void report() {
    StringBuilder sb = new StringBuilder("Tailscale capture conformance:");
    sb.append(
        String.format(
            "%n  %-20s %9s %6s %6s  failing aspects: %s",
            "folder", "pass", "known", "new", String.join(" ", ASPECTS)));
    int[] sum = new int[3 + ASPECTS.size()];
    new TreeMap<>(COUNTS)
        .forEach(
            (folder, c) -> {
              int total = c[0].get() + c[1].get() + c[2].get();
              sb.append(
                  String.format(
                      "%n  %-20s %4d/%4d %6d %6d ",
                      folder, c[0].get(), total, c[1].get(), c[2].get()));
              for (int i = 0; i < c.length; i++) {
                sum[i] += c[i].get();
                if (i >= 3) {
                  sb.append(String.format(" %s=%d", ASPECTS.get(i - 3), c[i].get()));
                }
              }
            });
    sb.append(
        String.format(
            "%n  %-20s %4d/%4d %6d %6d ", "all", sum[0], sum[0] + sum[1] + sum[2], sum[1], sum[2]));
    for (int i = 3; i < sum.length; i++) {
      sb.append(String.format(" %s=%d", ASPECTS.get(i - 3), sum[i]));
    }
    System.out.println(sb);
    if (Boolean.getBoolean("ledgerscale.conformance.writeBaseline")) {
      try {
        Baseline.write(baselineFile(), FAILING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The baseline in the policy module's sources, wherever the test runs from. */
  static Path baselineFile() {
    return repoRoot().resolve("policy").resolve(BASELINE);
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
