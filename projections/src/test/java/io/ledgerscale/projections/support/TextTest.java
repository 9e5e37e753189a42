// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void replacesRawNulsAndLeavesEverythingElse() {
    assertThat(Text.storable("a\u0000b\u0000")).isEqualTo("a\uFFFDb\uFFFD");
    assertThat(Text.storable("plain \\u0000 text")).isEqualTo("plain \\u0000 text");
    assertThat(Text.storable(null)).isNull();
  }

  @Test
  void replacesEscapedNulsInJsonButNotAnEscapedBackslashBeforeU0000() {
    String json = Json.write(Map.of("a", "x\u0000y", "b", "\\u0000"));

    String stored = Text.storableJson(json);

    assertThat(Json.readMap(stored)).containsEntry("a", "x\uFFFDy").containsEntry("b", "\\u0000");
    assertThat(Json.readList(Json.writeList(List.of("\u0000")))).containsExactly("\uFFFD");
  }
}
