// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.reload;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.axonframework.common.AxonThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once the server is ready, a SIGHUP reloads every {@link Reloadable}, one reload after the other
 * on a thread of its own (signals that come faster queue, none is lost or run twice at once).
 */
@Component
public class HangupReload implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(HangupReload.class);

  private final ObjectProvider<Reloadable> reloadables;
  private final Runnable onHangup = this::requested;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(new AxonThreadFactory("sighup-reload"));

  public HangupReload(ObjectProvider<Reloadable> reloadables) {
    this.reloadables = reloadables;
    // in case the context was started without the spring.factories listener (a test, an embedder)
    HangupSignal.install();
  }

  @EventListener(ApplicationReadyEvent.class)
  public void serving() {
    HangupSignal.onHangup(onHangup);
    HangupSignal.unavailable()
        .ifPresent(
            why ->
                log.warn(
                    "SIGHUP cannot be handled here ({}); restart the server to reload the policy"
                        + " (was it started with SIGHUP ignored, e.g. under nohup?)",
                    why));
  }

  private void requested() {
    try {
      executor.execute(this::reloadAll);
    } catch (RejectedExecutionException stopping) {
      log.info("SIGHUP received while the server stops; nothing reloaded");
    }
  }

  /** What a SIGHUP does; public so a test can ask without sending a signal. */
  public void reloadAll() {
    List<Reloadable> all = reloadables.orderedStream().toList();
    log.info("SIGHUP received: reloading ({} to reload)", all.size());
    for (Reloadable r : all) {
      try {
        r.reload("SIGHUP");
      } catch (RuntimeException e) {
        log.error("Reloading {} failed; what runs stays", r.getClass().getSimpleName(), e);
      }
    }
  }

  @Override
  public void destroy() {
    HangupSignal.ignore(onHangup);
    executor.shutdownNow();
  }
}
