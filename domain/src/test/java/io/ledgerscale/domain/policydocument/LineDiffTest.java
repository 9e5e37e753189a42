// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineDiffTest {

  @Test
  void shouldShowEveryLineAsAddedForTheFirstVersion() {
    assertThat(LineDiff.between(null, "a\nb\n")).isEqualTo("+a\n+b\n");
  }

  @Test
  void shouldKeepThreeLinesOfContextAndCollapseTheRest() {
    String before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    String after = "1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n";

    assertThat(LineDiff.between(before, after))
        .isEqualTo("@@ ... @@\n 3\n 4\n 5\n-6\n+six\n 7\n 8\n 9\n@@ ... @@\n");
  }

  @Test
  void shouldBeEmptyForEqualTexts() {
    assertThat(LineDiff.between("a\nb", "a\nb")).isEmpty();
  }
}
