// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.replay;

import java.util.Map;

/**
 * How far a rebuild of the read side has come: events processed by the slowest projection out of
 * the events in the store when the rebuild began, and each processor's position (global index).
 * {@code running} is false once every projection has caught up.
 */
public record ReplayProgress(
    long processedEvents, long totalEvents, boolean running, Map<String, Long> positions) {

  /** 0..100, for a progress display. */
  public int percent() {
    return totalEvents == 0 ? 100 : (int) Math.min(100, processedEvents * 100 / totalEvents);
  }
}
