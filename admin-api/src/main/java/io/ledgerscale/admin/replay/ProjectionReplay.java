// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.replay;

import java.util.Map;

/**
 * Rebuilds the read side from the event store. The server implements it (it owns the event
 * processors); the admin API only exposes it, so this module needs no Axon processing or SQL of its
 * own.
 */
public interface ProjectionReplay {

  /** Resets every projection to the first event and starts it again; returns at once. */
  Status start();

  /** Where the current (or last) rebuild stands. */
  Status progress();

  /**
   * Events processed by the slowest projection out of the events in the store when the rebuild
   * began, whether it is still running, and each processor's position (global index).
   */
  record Status(
      long processedEvents, long totalEvents, boolean running, Map<String, Long> positions) {}
}
