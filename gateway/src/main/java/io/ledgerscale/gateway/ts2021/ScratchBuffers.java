// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.noise.NoiseMessages;
import java.nio.ByteBuffer;

/**
 * Read buffers of the Noise connections, one set per thread instead of one per connection. A buffer
 * is filled and emptied within one call: what is read from the network is copied into records as it
 * is decrypted ({@link NoiseSourceConduit}, the WebSocket variant), what a WebSocket session reads
 * from its pipe to HTTP/2 into the sealed record. A connection kept its own (20 KB, most of a
 * connected node's memory on the server) although its buffers are empty between two calls; the
 * threads that make the calls are few.
 */
final class ScratchBuffers {
  /** Several records per read from the network: one call decrypts what arrived together. */
  static final int NET_READ_SIZE = 4 * NoiseMessages.MAX_MESSAGE_SIZE;

  private static final ThreadLocal<ScratchBuffers> OF_THREAD =
      ThreadLocal.withInitial(ScratchBuffers::new);

  private final ByteBuffer netIn = ByteBuffer.allocate(NET_READ_SIZE);
  private final ByteBuffer innerIn = ByteBuffer.allocate(NoiseMessages.MAX_PLAINTEXT_SIZE);

  private ScratchBuffers() {}

  /** This thread's buffer for bytes read from the network, cleared. */
  static ByteBuffer netIn() {
    return OF_THREAD.get().netIn.clear();
  }

  /** This thread's buffer for plaintext read from HTTP/2 (one record's worth), cleared. */
  static ByteBuffer innerIn() {
    return OF_THREAD.get().innerIn.clear();
  }
}
