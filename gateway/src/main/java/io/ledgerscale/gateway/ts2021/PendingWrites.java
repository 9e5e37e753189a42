// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import org.xnio.conduits.ConduitStreamSinkChannel;

/**
 * Decrypted bytes of a WebSocket Noise session waiting for the pipe to the in-process HTTP/2 server
 * (a plain session has no pipe: {@link NoiseSourceConduit}). Writing never blocks: what the pipe
 * does not take now waits for its write listener.
 */
final class PendingWrites {
  private PendingWrites() {}

  /** Writes as much as the sink takes; true when everything went out and was flushed. */
  static boolean drain(Queue<ByteBuffer> pending, ConduitStreamSinkChannel sink)
      throws IOException {
    while (!pending.isEmpty()) {
      ByteBuffer b = pending.peek();
      sink.write(b);
      if (b.hasRemaining()) {
        sink.resumeWrites();
        return false;
      }
      pending.poll();
    }
    if (!sink.flush()) {
      sink.resumeWrites();
      return false;
    }
    return true;
  }
}
