// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChangeQueueTest {
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
  private final ChangeQueue queue = new ChangeQueue(worker, MapBuilderTest.SETTINGS, () -> {});

  @AfterEach
  void close() {
    worker.shutdownNow();
  }

  @Test
  void listsEachNodeChangedSinceAStreamWasToldOnceInTheOrderOfItsLatestChange() {
    queue.add(1, Set.of(), null, false);
    queue.add(2, Set.of(), null, false);
    long told = queue.queued();
    queue.add(3, Set.of(), null, false);
    queue.add(1, Set.of(), null, true);
    queue.add(3, Set.of(), null, false);

    assertThat(changedSince(0)).containsExactly(2L, 1L, 3L);
    assertThat(changedSince(told)).containsExactly(1L, 3L);
    assertThat(changedSince(queue.queued())).isEmpty();
    assertThat(queue.viewOrFiltersChangedSince(1, told)).isTrue();
    assertThat(queue.viewOrFiltersChangedSince(3, told)).isFalse();
    assertThat(queue.changedSince(2, told)).isFalse();
  }

  @Test
  void aFilterChangeConcernsTheNodesWhoseFiltersItMayAlter() {
    long told = queue.queued();
    queue.add(1, Set.of(4L, 5L), null, false);

    assertThat(queue.filterChangedSince(4, told)).isTrue();
    assertThat(queue.filterChangedSince(1, told)).isFalse();
    assertThat(queue.viewOrFiltersChangedSince(1, told)).isTrue();
    assertThat(queue.filterChangedSince(4, queue.queued())).isFalse();
  }

  @Test
  void forgetsWhatEveryStreamWasToldAndStillListsTheRest() {
    for (long id = 1; id <= 100; id++) {
      queue.add(id, Set.of(), null, false);
    }
    queue.forget(90, 1_000);

    assertThat(queue.knows(90)).isTrue();
    assertThat(changedSince(90)).containsExactly(91L, 92L, 93L, 94L, 95L, 96L, 97L, 98L, 99L, 100L);
  }

  @Test
  void aStreamFurtherBehindThanTheListHoldsIsNoLongerToldFromIt() {
    // node 1 changes over and over while one stream reads nothing; the list keeps its latest
    for (int i = 0; i < 10_000; i++) {
      queue.add(1, Set.of(), null, false);
      queue.add(2 + i % 50, Set.of(), null, false);
    }
    queue.forget(0, 20);

    assertThat(queue.knows(0)).as("rebuilt instead").isFalse();
    long floorToldUpTo = queue.queued() - 1;
    assertThat(queue.knows(floorToldUpTo)).isTrue();
    assertThat(changedSince(floorToldUpTo)).containsExactly(51L);
    assertThat(changedSince(queue.queued() - 40)).hasSizeLessThanOrEqualTo(20);
  }

  private List<Long> changedSince(long told) {
    List<Long> out = new ArrayList<>();
    queue.forEachChangedSince(told, out::add);
    return out;
  }
}
