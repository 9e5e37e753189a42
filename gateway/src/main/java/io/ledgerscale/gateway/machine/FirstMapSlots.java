// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * How many streams may hold their first map encoded and not yet written, at once. A fleet
 * connecting gets a complete map each, hundreds of kilobytes apiece, faster than encryption and the
 * clients take them: held all at once they filled the heap (and an encoding that fails leaves its
 * client without a map). A stream beyond the limit waits for a slot with its first message
 * unencoded, which costs only references to peers every message shares.
 */
final class FirstMapSlots {
  static final int DEFAULT_SLOTS = 64;
  static final FirstMapSlots SHARED = new FirstMapSlots(DEFAULT_SLOTS);

  /** A stream waiting for a slot: told on its own I/O thread when it has one. */
  interface Waiter {
    void admitted();
  }

  private final int slots;
  private int taken;
  private final Queue<Waiter> waiting = new ArrayDeque<>();

  FirstMapSlots(int slots) {
    this.slots = slots;
  }

  /** True when {@code w} has a slot now; otherwise it is admitted later, once. */
  synchronized boolean take(Waiter w) {
    if (taken < slots) {
      taken++;
      return true;
    }
    waiting.add(w);
    return false;
  }

  /** Gives a slot back: the next waiting stream gets it. */
  void release() {
    Waiter next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        taken--;
        return;
      }
    }
    next.admitted();
  }

  /** A stream that ended while waiting gives up its place (false when it was not waiting). */
  synchronized boolean leave(Waiter w) {
    return waiting.remove(w);
  }

  synchronized int taken() {
    return taken;
  }
}
