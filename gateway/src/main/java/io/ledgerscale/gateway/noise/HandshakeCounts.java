// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many Noise handshakes the responder completed or refused since the server started, for the
 * server's metrics. A refusal is either malformed (framing, version: the kind Tailscale's server
 * answers with an error message) or undecryptable (the client used another server key, or the
 * message was tampered with).
 */
public final class HandshakeCounts {
  private final LongAdder completed = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder undecryptable = new LongAdder();

  void completed() {
    completed.increment();
  }

  void refused(NoiseException e) {
    (e.clientHint() == null ? undecryptable : malformed).increment();
  }

  public long completedCount() {
    return completed.sum();
  }

  public long malformedCount() {
    return malformed.sum();
  }

  public long undecryptableCount() {
    return undecryptable.sum();
  }
}
