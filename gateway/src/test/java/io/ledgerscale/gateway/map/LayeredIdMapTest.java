// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayeredIdMapTest {

  @Test
  void answersAsAHashMapThroughThousandsOfChangesAndMerges() {
    Random random = new Random(42);
    Map<Long, String> expected = new HashMap<>();
    for (long id = 0; id < 3000; id++) {
      expected.put(id, "v" + id);
    }
    Map<Long, String> layered = LayeredIdMap.with(expected, 0L, "v0");
    List<Map<Long, String>> older = new ArrayList<>();
    List<Map<Long, String>> olderExpected = new ArrayList<>();
    for (int step = 0; step < 5000; step++) {
      long id = random.nextInt(3500);
      String value = random.nextInt(4) == 0 ? null : "s" + step;
      layered = LayeredIdMap.with(layered, id, value);
      if (value == null) {
        expected.remove(id);
      } else {
        expected.put(id, value);
      }
      if (step % 97 == 0) {
        assertThat(layered).isEqualTo(expected);
        assertThat(new HashMap<>(layered)).isEqualTo(expected);
        assertThat(layered.size()).isEqualTo(expected.size());
        older.add(layered);
        olderExpected.add(new HashMap<>(expected));
      }
      long probe = random.nextInt(3500);
      assertThat(layered.get(probe)).isEqualTo(expected.get(probe));
      assertThat(layered.containsKey(probe)).isEqualTo(expected.containsKey(probe));
    }
    // every earlier version still answers as it did: a change never alters a map others hold
    for (int i = 0; i < older.size(); i++) {
      assertThat(older.get(i)).isEqualTo(olderExpected.get(i));
    }
  }

  @Test
  void cannotBeChangedInPlace() {
    Map<Long, String> m = LayeredIdMap.with(Map.of(1L, "a"), 2L, "b");
    assertThatThrownBy(() -> m.put(3L, "c")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.entrySet().iterator().next().setValue("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(m).containsOnlyKeys(1L, 2L);
  }
}
