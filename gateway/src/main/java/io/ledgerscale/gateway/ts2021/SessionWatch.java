// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * Closes an idle Noise session, whichever transport carries it. Without an open request the session
 * is idle however many bytes flow (an HTTP/2 PING costs the client nothing): until its first
 * request it gets the handshake timeout, after that the idle timeout. With a request open (a map
 * stream sends keep-alives), only silence both ways for the silence timeout counts. One timer per
 * session, on the session's I/O thread.
 */
final class SessionWatch {
  private static final Logger log = LoggerFactory.getLogger(SessionWatch.class);

  private final XnioIoThread thread;
  private final SessionTimeouts timeouts;
  private final SessionActivity activity;
  private final LongSupplier lastTraffic;
  private final Runnable close;
  private final Object peer;
  private XnioExecutor.Key timer;
  private boolean stopped;

  SessionWatch(
      XnioIoThread thread,
      SessionTimeouts timeouts,
      SessionActivity activity,
      LongSupplier lastTraffic,
      Runnable close,
      Object peer) {
    this.thread = thread;
    this.timeouts = timeouts;
    this.activity = activity;
    this.lastTraffic = lastTraffic;
    this.close = close;
    this.peer = peer;
  }

  void start() {
    schedule(timeouts.handshake().toMillis());
  }

  /** Called on the session's I/O thread when it closes. */
  void stop() {
    stopped = true;
    if (timer != null) {
      timer.remove();
    }
  }

  private void schedule(long delayMillis) {
    try {
      timer = thread.executeAfter(this::check, Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // the I/O thread is ending with the server, and the session with it
      stopped = true;
    }
  }

  private void check() {
    if (stopped) {
      return;
    }
    long since;
    long limit;
    String why;
    if (activity.openRequests() > 0) {
      since = lastTraffic.getAsLong();
      limit = timeouts.silence().toMillis();
      why = "no traffic";
    } else if (!activity.anyRequest()) {
      since = activity.idleSince();
      limit = timeouts.handshake().toMillis();
      why = "no request since the handshake";
    } else {
      since = activity.idleSince();
      limit = timeouts.idle().toMillis();
      why = "no open request";
    }
    long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    if (idle >= limit) {
      log.debug("closing Noise session from {}: {} for {} ms", peer, why, idle);
      close.run();
    } else {
      // a request that starts or ends changes the rule: look again no later than a handshake's time
      schedule(Math.min(limit - idle, timeouts.handshake().toMillis()));
    }
  }
}
