// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's embedded event store whose streams tell a pooled processor when an event has arrived.
 *
 * <p>A pooled streaming processor whose stream cannot call it back looks again every 500 ms (Axon's
 * coordinator hard-codes that), and the embedded store's streams cannot. So every projection, the
 * live map included, lagged a command by up to half a second: an admin call that answers once its
 * view shows the change (create a key, a user) took ~0.48 s, nearly all of it waiting. Here one
 * thread tails the store as the processors do and, whenever events have arrived, runs the callbacks
 * of every open stream: the processors' coordinators then read at once. It learns of events the way
 * the processors' own streams do — this instance's commits at once, another instance's by the
 * store's poll every {@code fetchDelay} — and costs no query of its own: it reads the events the
 * store has already fetched into its shared cache.
 */
final class WakingEventStore extends EmbeddedEventStore {
  private static final Logger log = LoggerFactory.getLogger(WakingEventStore.class);
  private static final long RETRY_AFTER_FAILURE_MS = 1_000;

  private final Set<Runnable> callbacks = ConcurrentHashMap.newKeySet();
  private final Object lifecycle = new Object();
  private Thread watcher;
  private boolean stopped;

  WakingEventStore(Builder builder) {
    super(builder);
  }

  @Override
  public TrackingEventStream openStream(TrackingToken trackingToken) {
    TrackingEventStream stream = super.openStream(trackingToken);
    try {
      startWatching();
    } catch (RuntimeException e) {
      // without the tail nothing would wake this stream's processor: it retries the open instead
      stream.close();
      throw e;
    }
    return new WakeableStream(stream);
  }

  @Override
  public void shutDown() {
    Thread running;
    synchronized (lifecycle) {
      stopped = true;
      running = watcher;
    }
    if (running != null) {
      running.interrupt();
    }
    super.shutDown();
  }

  private void startWatching() {
    synchronized (lifecycle) {
      if (watcher != null || stopped) {
        return;
      }
      // the tail opens here, not on the new thread, so an event committed once the first processor
      // has its stream is one the tail sees
      TrackingEventStream tail = super.openStream(createHeadToken());
      watcher = new Thread(() -> watch(tail), "event-store-wakeup");
      watcher.setDaemon(true);
      watcher.start();
    }
  }

  private boolean stopped() {
    synchronized (lifecycle) {
      return stopped;
    }
  }

  private void watch(TrackingEventStream opened) {
    TrackingEventStream tail = opened;
    try {
      while (!stopped()) {
        try {
          if (tail == null) {
            tail = super.openStream(createHeadToken());
          }
          if (tail.hasNextAvailable(1, TimeUnit.SECONDS)) {
            // all that has arrived, so one wake-up covers a burst
            while (tail.hasNextAvailable()) {
              tail.nextAvailable();
            }
            callbacks.forEach(Runnable::run);
          }
        } catch (RuntimeException e) {
          // the database gone, say: the processors' own 500 ms look still finds events meanwhile
          log.debug("event store wake-up: reading the store failed, again in a second", e);
          closeQuietly(tail);
          tail = null;
          Thread.sleep(RETRY_AFTER_FAILURE_MS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(tail);
    }
  }

  private static void closeQuietly(TrackingEventStream stream) {
    if (stream == null) {
      return;
    }
    try {
      stream.close();
    } catch (RuntimeException e) {
      log.debug("event store wake-up: closing its stream failed", e);
    }
  }

  /** A processor's stream, unchanged but for taking a callback for arriving events. */
  private final class WakeableStream implements TrackingEventStream {
    private final TrackingEventStream delegate;
    private volatile Runnable callback;

    WakeableStream(TrackingEventStream delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean setOnAvailableCallback(Runnable callback) {
      Runnable previous = this.callback;
      if (previous != null) {
        callbacks.remove(previous);
      }
      this.callback = callback;
      callbacks.add(callback);
      return true;
    }

    @Override
    public Optional<TrackedEventMessage<?>> peek() {
      return delegate.peek();
    }

    @Override
    public boolean hasNextAvailable() {
      return delegate.hasNextAvailable();
    }

    @Override
    public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
      return delegate.hasNextAvailable(timeout, unit);
    }

    @Override
    public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
      return delegate.nextAvailable();
    }

    @Override
    public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
      delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
    }

    @Override
    public void close() {
      Runnable registered = callback;
      if (registered != null) {
        callbacks.remove(registered);
      }
      delegate.close();
    }
  }
}
