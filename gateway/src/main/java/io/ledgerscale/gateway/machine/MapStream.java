// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

/**
 * One open map long-poll: an HTTP/2 stream that never ends while the client listens. Messages are
 * written without blocking on the stream's I/O thread; a keep-alive goes out when nothing else has
 * for a while, well inside the client's 120 s watchdog. No thread waits on an idle stream.
 */
public final class MapStream implements MapSink, FirstMapSlots.Waiter {
  private final HttpServerExchange exchange;
  private final XnioIoThread ioThread;
  private final boolean zstd;
  private final Duration keepAliveBase;
  private final Runnable onClose;
  private final MapTraffic traffic;
  private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
  private final FirstMapSlots slots;
  private StreamSinkChannel channel;

  /** The first message, until it is encoded (see {@link FirstMapSlots}). */
  private MapResponse first;

  /** The encoded first message while it holds a slot, until it is written. */
  private ByteBuffer firstFrame;

  private XnioExecutor.Key keepAliveTimer;
  private boolean closed;

  /**
   * Messages handed over by {@link #send} that the I/O thread has not taken yet: read by the map on
   * its own thread ({@link #behind}).
   */
  private final AtomicInteger handedOver = new AtomicInteger();

  /**
   * Set on the I/O thread: the first message and everything after it were written to the channel.
   * False until then.
   */
  private volatile boolean written;

  /** Told once when the stream is no longer backlogged ({@link #behind}). */
  private final AtomicReference<Runnable> caughtUp = new AtomicReference<>();

  private MapStream(
      HttpServerExchange exchange,
      boolean zstd,
      Duration keepAliveBase,
      Runnable onClose,
      MapTraffic traffic) {
    this.exchange = exchange;
    this.traffic = traffic;
    this.ioThread = exchange.getIoThread();
    this.zstd = zstd;
    this.keepAliveBase = keepAliveBase;
    this.onClose = onClose;
    this.slots = FirstMapSlots.SHARED;
  }

  /**
   * A stream for {@code exchange} that has not answered yet. Messages sent to it before {@link
   * #open} wait, and go out after the first message: the map can hand the stream its changes from
   * the moment it built the first message, so nothing that happens in between is lost.
   */
  static MapStream pending(
      HttpServerExchange exchange,
      boolean zstd,
      Duration keepAliveBase,
      Runnable onClose,
      MapTraffic traffic) {
    return new MapStream(exchange, zstd, keepAliveBase, onClose, traffic);
  }

  /**
   * Sends the 200 and the first message, then what was sent meanwhile, and keeps the stream open;
   * {@code onOpen} runs first, unless the stream has already ended. Callable from any thread. A
   * stream closed before it opened (its node was deleted meanwhile) answers 503 with Retry-After
   * instead: the client asks again and is checked afresh.
   */
  void open(MapResponse first, Runnable onOpen) {
    ioThread.execute(
        () -> {
          if (closed) {
            Responses.retryLater(exchange, "the map session ended before it started");
            return;
          }
          // on this thread, where the stream also closes: a stream that ended first is never
          // counted as open, and one counted as open is always uncounted when it ends
          onOpen.run();
          exchange.setStatusCode(200);
          exchange
              .getResponseHeaders()
              .put(io.undertow.util.Headers.CONTENT_TYPE, "application/octet-stream");
          channel = exchange.getResponseChannel();
          channel.getWriteSetter().set(ch -> flush());
          channel.getCloseSetter().set(ch -> close());
          exchange.addExchangeCompleteListener(
              (ex, next) -> {
                closeNow();
                next.proceed();
              });
          this.first = first;
          if (slots.take(this)) {
            sendFirst();
          }
        });
  }

  @Override
  public void admitted() {
    ioThread.execute(this::sendFirst);
  }

  /** With a slot: the first message goes out ahead of what was sent meanwhile. */
  private void sendFirst() {
    if (closed) {
      slots.release();
      return;
    }
    ByteBuffer frame;
    try {
      frame = MapFrames.encode(first, zstd);
    } catch (RuntimeException | OutOfMemoryError e) {
      slots.release();
      closeNow();
      return;
    }
    first = null;
    firstFrame = frame;
    traffic.sent(MapTraffic.Kind.FULL, frame.remaining());
    pending.addFirst(frame);
    scheduleKeepAlive();
    flush();
  }

  /**
   * Sends one more message (a delta). Callable from any thread; ignored once the stream is closed.
   */
  @Override
  public void send(MapResponse message) {
    handedOver.incrementAndGet();
    ioThread.execute(
        () -> {
          written = false;
          handedOver.decrementAndGet();
          enqueue(message);
        });
  }

  private boolean backlogged() {
    return handedOver.get() > 0 || !written;
  }

  @Override
  public boolean behind(Runnable r) {
    if (!backlogged()) {
      return false;
    }
    caughtUp.set(r);
    if (backlogged()) {
      // told by the I/O thread once it wrote the last message (it clears the slot after setting
      // written, so one of the two sees the other)
      return true;
    }
    // caught up meanwhile: unless the I/O thread took it already (and runs it), nothing will
    return !caughtUp.compareAndSet(r, null);
  }

  /** Ends the stream, e.g. because a newer stream for the same node replaced it. */
  @Override
  public void close() {
    ioThread.execute(this::closeNow);
  }

  private void enqueue(MapResponse message) {
    if (closed) {
      return;
    }
    written = false;
    ByteBuffer frame;
    try {
      frame = MapFrames.encode(message, zstd);
    } catch (RuntimeException | OutOfMemoryError e) {
      // a message the client never gets would leave it behind for good: it starts over instead
      closeNow();
      return;
    }
    traffic.sentOnStream(message, frame.remaining());
    pending.add(frame);
    if (channel == null || first != null) {
      // not open yet, or the first message waits for a slot: goes out right after it
      return;
    }
    scheduleKeepAlive();
    flush();
  }

  private void flush() {
    try {
      while (!pending.isEmpty()) {
        ByteBuffer b = pending.peek();
        channel.write(b);
        if (b.hasRemaining()) {
          channel.resumeWrites();
          return;
        }
        if (pending.poll() == firstFrame) {
          firstFrame = null;
          slots.release();
        }
      }
      if (first == null) {
        caughtUp();
      }
      // Each message must reach the client now, not when a buffer fills.
      if (!channel.flush()) {
        channel.resumeWrites();
        return;
      }
      channel.suspendWrites();
    } catch (IOException e) {
      closeNow();
    }
  }

  /**
   * Everything handed over so far is written to the channel (what the channel holds back for the
   * client's flow control is bounded by its own buffers).
   */
  private void caughtUp() {
    written = true;
    if (handedOver.get() == 0) {
      Runnable r = caughtUp.getAndSet(null);
      if (r != null) {
        r.run();
      }
    }
  }

  private void scheduleKeepAlive() {
    if (keepAliveTimer != null) {
      keepAliveTimer.remove();
    }
    // Jitter spreads the keep-alives of many clients that connected at once.
    long delay =
        keepAliveBase.toMillis()
            + ThreadLocalRandom.current().nextLong(keepAliveBase.toMillis() / 5 + 1);
    keepAliveTimer =
        ioThread.executeAfter(() -> enqueue(MapResponse.KEEP_ALIVE), delay, TimeUnit.MILLISECONDS);
  }

  /**
   * Ends the response as HTTP/2 ends a stream (END_STREAM), which completes the exchange. Closing
   * the channel alone did not: the exchange and its HTTP/2 stream stayed in memory until the
   * connection closed (one more per stream the server ended: replaced, node deleted), and after
   * about 200 such ends within 30 s Undertow answered the connection with GOAWAY.
   */
  private static void end(StreamSinkChannel channel) {
    if (!channel.isOpen()) {
      return;
    }
    try {
      channel.shutdownWrites();
      if (channel.flush()) {
        IoUtils.safeClose(channel);
        return;
      }
      channel
          .getWriteSetter()
          .set(
              ChannelListeners.flushingChannelListener(
                  IoUtils::safeClose, (ch, e) -> IoUtils.safeClose(ch)));
      channel.resumeWrites();
    } catch (IOException e) {
      IoUtils.safeClose(channel);
    }
  }

  private void closeNow() {
    if (closed) {
      return;
    }
    closed = true;
    pending.clear();
    if (firstFrame != null) {
      firstFrame = null;
      slots.release();
    } else if (first != null && slots.leave(this)) {
      first = null;
    }
    if (keepAliveTimer != null) {
      keepAliveTimer.remove();
    }
    if (channel != null) {
      end(channel);
    }
    onClose.run();
  }
}
