// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every child process the e2e harness starts (server, derper, tailscaled). Each owner stops its own
 * in a finally block; the shutdown hook is the backstop for a JVM that is torn down mid-test, so
 * nothing outlives the build.
 */
public final class Children {
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Children::stopAll, "e2e-children"));
  }

  private Children() {}

  public static Process start(ProcessBuilder builder) throws IOException {
    Process p = builder.start();
    RUNNING.add(p);
    return p;
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  public static int stop(Process p, long graceSeconds) {
    try {
      if (p.isAlive()) {
        p.destroy();
        if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      return p.isAlive() ? -1 : p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return -1;
    } finally {
      RUNNING.remove(p);
    }
  }

  private static void stopAll() {
    for (Process p : RUNNING) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
