// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.gateway.tailcfg.MapResponse;
import java.util.concurrent.atomic.LongAdder;

/**
 * The map messages this server has written since it started, and their size on the wire (framed,
 * compressed), by kind, for the server's metrics.
 */
public final class MapTraffic {
  /** What a message was; the kinds are the metrics' label values. */
  public enum Kind {
    /** A complete map: the first message of a stream, or a one-shot answer. */
    FULL,
    /** A change on an open stream. */
    DELTA,
    /** Nothing changed; the stream is still alive. */
    KEEPALIVE;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final LongAdder[] messages = adders();
  private final LongAdder[] bytes = adders();

  void sent(Kind kind, int size) {
    messages[kind.ordinal()].increment();
    bytes[kind.ordinal()].add(size);
  }

  /** A message after the first on a stream: a delta, or a keep-alive. */
  void sentOnStream(MapResponse message, int size) {
    sent(message == MapResponse.KEEP_ALIVE ? Kind.KEEPALIVE : Kind.DELTA, size);
  }

  public long messages(Kind kind) {
    return messages[kind.ordinal()].sum();
  }

  public long bytes(Kind kind) {
    return bytes[kind.ordinal()].sum();
  }

  private static LongAdder[] adders() {
    LongAdder[] a = new LongAdder[Kind.values().length];
    for (int i = 0; i < a.length; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }
}
