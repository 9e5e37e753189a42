// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Work begun on a daemon thread of its own as soon as the configuration is known, while Spring
 * builds the context, and awaited by the one bean that needs its result (the embedded PostgreSQL,
 * the DERP map). Its failure is thrown by {@link #await} as doing the work there would throw it.
 */
public final class EarlyStart<T> {
  private final CompletableFuture<T> result = new CompletableFuture<>();

  private EarlyStart() {}

  public static <T> EarlyStart<T> begin(String threadName, Callable<T> work) {
    EarlyStart<T> started = new EarlyStart<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                started.result.complete(work.call());
              } catch (Throwable e) {
                started.result.completeExceptionally(e);
              }
            },
            threadName);
    thread.setDaemon(true);
    thread.start();
    return started;
  }

  /** Waits for the result, or throws what the work threw (a checked exception wrapped). */
  public T await() {
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
