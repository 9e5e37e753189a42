// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.replay;

import io.ledgerscale.admin.replay.ProjectionReplay;
import org.springframework.stereotype.Component;

/** Lets the admin API start and watch a rebuild without knowing the event processors. */
@Component
class ProjectionReplayAdapter implements ProjectionReplay {
  private final ReplayService replay;

  ProjectionReplayAdapter(ReplayService replay) {
    this.replay = replay;
  }

  @Override
  public Status start() {
    return of(replay.start());
  }

  @Override
  public Status progress() {
    return of(replay.progress());
  }

  private static Status of(ReplayProgress p) {
    return new Status(p.processedEvents(), p.totalEvents(), p.running(), p.positions());
  }
}
