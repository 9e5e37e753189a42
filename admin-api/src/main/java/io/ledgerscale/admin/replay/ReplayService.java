// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.replay;

import java.util.List;

/**
 * Rebuilds projections from the event store. The server provides the implementation (it owns the event
 * processors); the admin API only exposes it.
 */
public interface ReplayService {
  /**
   * Resets the tracking processor of one processing group, or of every projection when {@code processingGroup} is
   * null, so that it replays from the first event. Answers the processing groups that were reset.
   *
   * @throws IllegalArgumentException when no projection has that processing group
   */
  List<String> replay(String processingGroup);
}
