// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a Noise session is doing at the HTTP/2 level: how many requests are open and since when none
 * is. Bytes alone do not count as activity: HTTP/2 PINGs or SETTINGS cost a client nothing and
 * would keep an abandoned session alive. Requests start and end on any thread.
 */
final class SessionActivity {
  private final AtomicInteger open = new AtomicInteger();
  private final long startedAt;
  private volatile boolean anyRequest;
  private volatile long idleSince;

  SessionActivity(long nanoTime) {
    this.startedAt = nanoTime;
    this.idleSince = nanoTime;
  }

  void requestStarted() {
    anyRequest = true;
    open.incrementAndGet();
  }

  void requestEnded(long nanoTime) {
    if (open.decrementAndGet() == 0) {
      idleSince = nanoTime;
    }
  }

  int openRequests() {
    return open.get();
  }

  boolean anyRequest() {
    return anyRequest;
  }

  long idleSince() {
    return anyRequest ? idleSince : startedAt;
  }
}
