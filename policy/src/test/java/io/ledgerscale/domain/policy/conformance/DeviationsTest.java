// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviationsTest {

  @Test
  void canReadOneScenarioPerListLineAndIgnoreProse(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.md");
    Files.writeString(
        file,
        """
        # Deviations
        Some text mentioning `acl-x01` in prose.

        - `acl-a01`: rule order differs
          and the reason goes on.
        - `routes-b2` \u2014 another reason
        """);
    assertThat(Deviations.read(file))
        .containsOnlyKeys("acl-a01", "routes-b2")
        .containsEntry("acl-a01", "rule order differs");
  }

  @Test
  void shouldTreatAMissingListAsEmpty(@TempDir Path dir) throws Exception {
    assertThat(Deviations.read(dir.resolve("missing.md"))).isEmpty();
  }
}
