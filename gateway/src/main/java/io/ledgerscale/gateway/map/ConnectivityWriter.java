// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.connectivity.ConnectivityWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the map's connectivity changes to the store behind it, in order, in batches, on a thread
 * of its own. The map knows each row it writes ({@link ConnectivityWrite#applyTo}) and goes on at
 * once: a fleet connecting is several writes per client, and waiting for each on the map's one
 * thread made the database's round trips the pace of a connect or a reconnect storm. What is queued
 * when the database cannot be written is dropped: connectivity is what clients report again (ADR
 * 0001), and the periodic re-read brings the map back to what is stored.
 */
final class ConnectivityWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectivityWriter.class);

  /** Writes per batch: one transaction, one notification statement. */
  static final int BATCH = 512;

  private final ConnectivityStore store;
  private final Queue<ConnectivityWrite> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Writes taken and not yet stored (or dropped). */
  private final java.util.concurrent.atomic.AtomicInteger unwritten =
      new java.util.concurrent.atomic.AtomicInteger();

  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "connectivity-writer");
            t.setDaemon(true);
            return t;
          });

  ConnectivityWriter(ConnectivityStore store) {
    this.store = store;
  }

  void write(ConnectivityWrite w) {
    unwritten.incrementAndGet();
    queue.add(w);
    if (scheduled.compareAndSet(false, true)) {
      thread.execute(this::drain);
    }
  }

  private void drain() {
    scheduled.set(false);
    while (!queue.isEmpty()) {
      List<ConnectivityWrite> batch = new ArrayList<>(Math.min(BATCH, queue.size()));
      ConnectivityWrite w;
      while (batch.size() < BATCH && (w = queue.poll()) != null) {
        batch.add(w);
      }
      try {
        store.writeAll(batch);
      } catch (RuntimeException e) {
        log.warn("{} connectivity write(s) not stored: {}", batch.size(), e.getMessage());
      } finally {
        unwritten.addAndGet(-batch.size());
      }
    }
  }

  /** Whether every write taken has been stored (or dropped) and its listeners told. */
  boolean idle() {
    return unwritten.get() == 0;
  }

  /** Writes what is queued (waiting a few seconds at most), then stops. */
  @Override
  public void close() {
    thread.execute(this::drain);
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
