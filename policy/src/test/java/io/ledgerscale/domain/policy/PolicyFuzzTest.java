// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ledgerscale.domain.policy.bench.SyntheticTailnet;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.testing.FuzzDeadline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Garbage and mutated real policies (Tailscale's captured ones, read in place from
 * ../shared/conformance when it is there) are refused with a {@link PolicyException} that points at
 * a line and column, or accepted and compiled; never another exception, a stack overflow or a hang.
 * Runs for {@code -Dfuzz.duration} in {@code verify} (see the root pom).
 */
class PolicyFuzzTest {
  private static final Duration PER_INPUT = Duration.ofSeconds(10);
  private static final TailnetSnapshot TAILNET = SyntheticTailnet.generate(12, 6, 7).snapshot;

  @MethodSource("seeds")
  @DictionaryEntries({
    "\"groups\"",
    "\"hosts\"",
    "\"tagOwners\"",
    "\"acls\"",
    "\"grants\"",
    "\"ssh\"",
    "\"tests\"",
    "\"sshTests\"",
    "\"nodeAttrs\"",
    "\"autoApprovers\"",
    "\"group:",
    "\"tag:",
    "autogroup:",
    "@example.com",
    "/*",
    "//",
    "\"ip\"",
    "\"app\"",
    "\"via\"",
    ":22",
    "\"*\"",
    "fd7a:115c:a1e0::/48",
    "100.64.0.0/10"
  })
  @FuzzTest(maxDuration = "20s")
  void refusesGarbageWithAPosition(byte[] input) throws Exception {
    String text = new String(input, StandardCharsets.UTF_8);
    FuzzDeadline.run(PER_INPUT, () -> parseAndCompile(text));
  }

  private static void parseAndCompile(String text) {
    Policy policy;
    try {
      policy = Policy.parse(text);
    } catch (PolicyException e) {
      if (e.line() < 1 || e.column() < 1) {
        throw new AssertionError("refusal without a position: " + e.getMessage(), e);
      }
      return;
    }
    try {
      PolicyEngine.accept(text, TAILNET);
    } catch (PolicyException e) {
      // a parsed policy may still fail compilation or its own tests; that refusal has no position
    }
    if (policy == null) {
      throw new AssertionError("parse returned null");
    }
  }

  static Stream<Arguments> seeds() {
    Set<String> seeds = new LinkedHashSet<>();
    seeds.add("{}");
    seeds.add(
        "// comment\n{\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"],},]}");
    seeds.add(SyntheticTailnet.generate(12, 6, 7).policy);
    capturedPolicies().forEach(seeds::add);
    return seeds.stream().map(s -> Arguments.of((Object) s.getBytes(StandardCharsets.UTF_8)));
  }

  /** The policies sent to Tailscale in the shared captures, or none when shared/ is absent. */
  private static Stream<String> capturedPolicies() {
    Optional<Path> captures = capturesDir();
    if (captures.isEmpty()) {
      return Stream.empty();
    }
    JsonMapper json =
        JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();
    try (Stream<Path> files = Files.walk(captures.get())) {
      return files
          .filter(p -> p.toString().endsWith(".hujson"))
          .sorted()
          .map(
              p -> {
                try {
                  JsonNode fp =
                      json.readTree(Files.readString(p)).path("input").path("full_policy");
                  return fp.isTextual() ? fp.asText() : fp.isMissingNode() ? null : fp.toString();
                } catch (IOException e) {
                  throw new UncheckedIOException(p.toString(), e);
                }
              })
          .filter(s -> s != null && !s.isBlank())
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Path> capturesDir() {
    String prop = System.getProperty("ledgerscale.shared.dir");
    if (prop != null && !prop.isBlank()) {
      return existing(Paths.get(prop));
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Optional<Path> found = existing(p.resolve("shared"));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> existing(Path shared) {
    Path captures = shared.resolve("conformance").resolve("tailscale-policy-captures");
    return Files.isDirectory(captures) ? Optional.of(captures) : Optional.empty();
  }
}
