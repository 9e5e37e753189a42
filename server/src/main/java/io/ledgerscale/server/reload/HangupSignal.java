// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.reload;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Takes SIGHUP from the JVM, whose own handler would shut the server down (Headscale, {@code
 * systemctl reload} and Headplane send it to reload the policy). Installed when Spring starts (a
 * listener in spring.factories, before any bean exists), so a SIGHUP during a start does not stop
 * it either; until the server is ready, and again while it stops, a SIGHUP is only logged.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the only way a Java program can handle a
 * signal: the JDK has no supported API for it, and it stays accessible on the class path in every
 * JDK since 9. Where it is unavailable (no SIGHUP on Windows, or {@code -Xrs}) the server runs
 * without it and says so, as it does when it was started with SIGHUP ignored (under {@code nohup}),
 * which the JVM then leaves ignored.
 */
public final class HangupSignal implements ApplicationListener<ApplicationStartingEvent> {
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();
  // kept until the server is ready: install() runs before Spring has configured logging, so a
  // warning
  // written then would not reach the operator's log
  private static final AtomicReference<String> UNAVAILABLE = new AtomicReference<>();
  private static final Runnable NOT_READY =
      () ->
          log()
              .info(
                  "SIGHUP received while the server is not serving (starting or stopping);"
                      + " nothing reloaded");

  private static final AtomicReference<Runnable> ON_HANGUP = new AtomicReference<>(NOT_READY);

  @Override
  public void onApplicationEvent(ApplicationStartingEvent event) {
    install();
  }

  /** Replaces the JVM's SIGHUP handler with ours, once per JVM. */
  static void install() {
    if (!INSTALLED.compareAndSet(false, true)) {
      return;
    }
    try {
      SignalHandler before = Signal.handle(new Signal("HUP"), signal -> dispatch());
      if (before == SignalHandler.SIG_IGN) {
        // the JVM leaves a signal ignored at its start ignored (nohup, some supervisors): ours
        // was not installed, and a SIGHUP will do nothing at all
        UNAVAILABLE.set("SIGHUP was ignored when the server started");
      }
    } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
      UNAVAILABLE.set(String.valueOf(unavailable.getMessage()));
    }
  }

  /** Why SIGHUP could not be taken (ignored by whoever started the JVM, -Xrs, no SIGHUP), if so. */
  static Optional<String> unavailable() {
    return Optional.ofNullable(UNAVAILABLE.get());
  }

  /** From now on a SIGHUP runs {@code action}. */
  static void onHangup(Runnable action) {
    ON_HANGUP.set(action);
  }

  /**
   * From now on a SIGHUP is only logged (the server stops), unless another server in this JVM (a
   * test) has taken the signal since.
   */
  static void ignore(Runnable action) {
    ON_HANGUP.compareAndSet(action, NOT_READY);
  }

  private static void dispatch() {
    try {
      ON_HANGUP.get().run();
    } catch (Throwable t) {
      // the JVM runs this on a thread of its own: whatever happens, the server keeps running
      log().error("SIGHUP handling failed; the server keeps running", t);
    }
  }

  private static Logger log() {
    return LoggerFactory.getLogger(HangupSignal.class);
  }
}
