// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Packets waiting for one client, bounded as Tailscale's derper bounds them (32 by default): when
 * full, the oldest packet is dropped to make room (up to three times, as the sender competes with
 * others), and if there is still no room the new packet is dropped. Any thread may offer; the
 * client's I/O thread takes.
 */
final class SendQueue {
  static final int DEFAULT_DEPTH = 32;
  private final ArrayBlockingQueue<byte[]> queue;

  SendQueue(int depth) {
    queue = new ArrayBlockingQueue<>(depth);
  }

  /** Queues {@code frame}, counting what had to be dropped for it. */
  void offer(byte[] frame, DerpMetrics metrics) {
    for (int attempt = 0; attempt < 3; attempt++) {
      if (queue.offer(frame)) {
        return;
      }
      byte[] dropped = queue.poll();
      if (dropped != null) {
        metrics.dropped(DropReason.QUEUE_HEAD, dropped.length - FrameType.HEADER - FrameType.KEY);
      }
    }
    metrics.dropped(DropReason.QUEUE_TAIL, frame.length - FrameType.HEADER - FrameType.KEY);
  }

  byte[] poll() {
    return queue.poll();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Drops whatever is still queued (the client went away), counting it. */
  void clear(DerpMetrics metrics) {
    byte[] f;
    while ((f = queue.poll()) != null) {
      metrics.dropped(DropReason.GONE_DISCONNECTED, f.length - FrameType.HEADER - FrameType.KEY);
    }
  }
}
