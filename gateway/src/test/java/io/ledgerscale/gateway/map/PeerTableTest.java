// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PeerTableTest {

  @Test
  void shouldTakeEntriesAfterBeingTrimmedWhileEmpty() {
    // a view built while no peer had reported a disco key is trimmed to nothing; its peers arrive
    // later, one change at a time
    PeerTable<String> table = new PeerTable<String>(1000).trimmed();
    table.put(7L, "a");
    table.flags().put(7L, true);
    table.put(3L, "b");
    table.put(9L, "c");

    assertThat(table).containsOnlyKeys(3L, 7L, 9L);
    assertThat(table.flags()).containsEntry(7L, true).containsEntry(3L, false);
  }

  @Test
  void aCopyWithoutOneIdHoldsEveryOtherEntryWithItsFlagAndIsATableOfItsOwn() {
    for (long big : new long[] {50L, 1L << 40}) {
      PeerTable<String> all = new PeerTable<>(4);
      for (long id : new long[] {1, 4, 9, 16, big}) {
        all.put(id, "v" + id);
        all.flags().put(id, id % 2 == 0);
      }
      for (long without : new long[] {1, 9, big, 3}) {
        PeerTable<String> copy = all.copyWithout(without);
        TreeMap<Long, String> expected = new TreeMap<>(all);
        expected.remove(without);

        assertThat(copy).as("%d without %d", big, without).containsExactlyEntriesOf(expected);
        for (long id : expected.keySet()) {
          assertThat(copy.flags().get(id)).isEqualTo(id % 2 == 0);
        }
        // its own arrays: growing and editing it leaves the table it came from alone
        copy.put(2L, "two");
        copy.put(big + 1, "last");
        copy.flags().put(4L, false);
        copy.remove(16L);
        assertThat(all).hasSize(5).doesNotContainKey(2L).containsKey(16L);
        assertThat(all.flags().get(4L)).isTrue();
      }
    }
  }

  @Test
  void shouldKeepEachEntrysFlagThroughInsertsAndRemoves() {
    Random rnd = new Random(9);
    PeerTable<String> table = new PeerTable<>(0);
    Map<Long, Boolean> flags = table.flags();
    TreeMap<Long, Boolean> expected = new TreeMap<>();
    for (int step = 0; step < 5000; step++) {
      long id = rnd.nextInt(200);
      if (rnd.nextInt(3) == 0) {
        table.remove(id);
        flags.remove(id);
        expected.remove(id);
      } else {
        boolean on = rnd.nextBoolean();
        table.put(id, "v");
        flags.put(id, on);
        expected.put(id, on);
      }
      assertThat(flags.get(id)).isEqualTo(expected.get(id));
    }
    assertThat(flags).isEqualTo(expected);
    assertThat(table.trimmed().flags()).isEqualTo(expected);
  }

  @Test
  void shouldKeepIdsBeyondTheIntRangeInOrder() {
    // ids are kept as ints while they fit; one that does not widens the table, wherever it lands
    Random rnd = new Random(5);
    long[] far = {Long.MAX_VALUE, Long.MIN_VALUE, 1L << 31, -(1L << 31) - 1, 1L << 40};
    for (long wide : far) {
      PeerTable<String> table = new PeerTable<>(0);
      TreeMap<Long, String> expected = new TreeMap<>();
      for (int step = 0; step < 400; step++) {
        long id = step == 200 ? wide : rnd.nextInt(100) - 50;
        if (step != 200 && rnd.nextInt(4) == 0) {
          assertThat(table.remove(id)).isEqualTo(expected.remove(id));
        } else {
          assertThat(table.put(id, "v" + step)).isEqualTo(expected.put(id, "v" + step));
          table.flags().put(id, step % 2 == 0);
        }
        assertThat(table.containsKey(wide)).isEqualTo(expected.containsKey(wide));
      }
      assertThat(table).isEqualTo(expected);
      assertThat(new ArrayList<>(table.keySet())).containsExactlyElementsOf(expected.keySet());
      assertThat(table.trimmed()).isEqualTo(expected);
    }
  }

  @Test
  void shouldBehaveLikeASortedMapUnderRandomPutsAndRemoves() {
    Random rnd = new Random(3);
    PeerTable<String> table = new PeerTable<>(0);
    TreeMap<Long, String> expected = new TreeMap<>();
    for (int step = 0; step < 5000; step++) {
      long id = rnd.nextInt(300);
      if (rnd.nextInt(3) == 0) {
        assertThat(table.remove(id)).isEqualTo(expected.remove(id));
      } else {
        String v = "v" + step;
        assertThat(table.put(id, v)).isEqualTo(expected.put(id, v));
      }
      assertThat(table.get(id)).isEqualTo(expected.get(id));
      assertThat(table.containsKey(id)).isEqualTo(expected.containsKey(id));
    }
    assertThat(table).isEqualTo(expected);
    assertThat(table.trimmed()).isEqualTo(expected);
    List<Long> order = new ArrayList<>();
    table.forEach((id, v) -> order.add(id));
    assertThat(order).containsExactlyElementsOf(expected.keySet());
    assertThat(new ArrayList<>(table.keySet())).containsExactlyElementsOf(expected.keySet());
    for (int i = 0; i < table.size(); i++) {
      assertThat(table.valueAt(i)).isEqualTo(expected.get(table.idAt(i)));
    }
    table.entrySet().removeIf(e -> e.getKey() % 2 == 0);
    expected.entrySet().removeIf(e -> e.getKey() % 2 == 0);
    assertThat(table).isEqualTo(expected);
    assertThat(table.get("not an id")).isNull();
    assertThat(Map.copyOf(table)).isEqualTo(expected);
  }
}
