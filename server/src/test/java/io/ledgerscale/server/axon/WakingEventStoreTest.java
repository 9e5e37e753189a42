// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WakingEventStoreTest {
  private WakingEventStore store;

  @BeforeEach
  void start() {
    store =
        new WakingEventStore(
            EmbeddedEventStore.builder()
                .storageEngine(new InMemoryEventStorageEngine())
                .fetchDelay(10_000)
                .timeUnit(TimeUnit.MILLISECONDS));
  }

  @AfterEach
  void stop() {
    store.shutDown();
  }

  @Test
  void aStreamTakesACallbackAndIsCalledWhenAnEventArrives() throws Exception {
    try (TrackingEventStream stream = store.openStream(store.createHeadToken())) {
      CountDownLatch woken = new CountDownLatch(1);
      assertThat(stream.setOnAvailableCallback(woken::countDown)).isTrue();
      assertThat(stream.hasNextAvailable()).isFalse();

      store.publish(GenericEventMessage.asEventMessage("node registered"));

      // the store's poll is 10 s here: a wake-up well within it came from the commit
      assertThat(woken.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(stream.hasNextAvailable()).isTrue();
      assertThat(stream.nextAvailable().getPayload()).isEqualTo("node registered");
    }
  }

  @Test
  void everyOpenStreamIsWokenAndAClosedOneNoLonger() throws Exception {
    TrackingEventStream first = store.openStream(store.createHeadToken());
    TrackingEventStream second = store.openStream(store.createHeadToken());
    AtomicInteger firstCalls = new AtomicInteger();
    CountDownLatch secondWoken = new CountDownLatch(2);
    first.setOnAvailableCallback(firstCalls::incrementAndGet);
    second.setOnAvailableCallback(secondWoken::countDown);

    store.publish(GenericEventMessage.asEventMessage("one"));
    awaitUntil(() -> firstCalls.get() >= 1);
    first.close();
    int callsWhenClosed = firstCalls.get();
    store.publish(GenericEventMessage.asEventMessage("two"));

    assertThat(secondWoken.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(firstCalls.get()).isEqualTo(callsWhenClosed);
    second.close();
  }

  @Test
  void aReplacedCallbackIsNoLongerCalled() throws Exception {
    try (TrackingEventStream stream = store.openStream(store.createHeadToken())) {
      AtomicInteger replaced = new AtomicInteger();
      CountDownLatch current = new CountDownLatch(1);
      stream.setOnAvailableCallback(replaced::incrementAndGet);
      stream.setOnAvailableCallback(current::countDown);

      store.publish(GenericEventMessage.asEventMessage("one"));

      assertThat(current.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(replaced.get()).isZero();
    }
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 5 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
