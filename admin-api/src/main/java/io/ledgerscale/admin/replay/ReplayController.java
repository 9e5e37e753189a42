// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.replay;

import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.AuditContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Our extension: rebuild the read side from the event store, and follow the rebuild. */
@RestController
@RequestMapping("/api/v1/admin/replay")
public class ReplayController {
  private static final Logger log = LoggerFactory.getLogger(ReplayController.class);

  private final ObjectProvider<ProjectionReplay> replay;
  private final AuditContext audit;

  public ReplayController(ObjectProvider<ProjectionReplay> replay, AuditContext audit) {
    this.replay = replay;
    this.audit = audit;
  }

  public record ReplayResponse(
      long processedEvents,
      long totalEvents,
      int percent,
      boolean running,
      Map<String, Long> positions) {

    static ReplayResponse of(ProjectionReplay.Status status) {
      int percent =
          status.totalEvents() == 0
              ? 100
              : (int) Math.min(100, status.processedEvents() * 100 / status.totalEvents());
      return new ReplayResponse(
          status.processedEvents(),
          status.totalEvents(),
          percent,
          status.running(),
          status.positions() == null ? Map.of() : status.positions());
    }
  }

  @PostMapping
  public ReplayResponse start() {
    // a rebuild changes no state of the tailnet, so it is not a command; the log keeps who asked
    // for it
    log.info("projection replay requested by {}", audit.actor().name());
    return ReplayResponse.of(service().start());
  }

  @GetMapping
  public ReplayResponse progress() {
    return ReplayResponse.of(service().progress());
  }

  private ProjectionReplay service() {
    ProjectionReplay service = replay.getIfAvailable();
    if (service == null) {
      throw new ApiProblem(HttpStatus.NOT_IMPLEMENTED, "this server has no projection replay");
    }
    return service;
  }
}
