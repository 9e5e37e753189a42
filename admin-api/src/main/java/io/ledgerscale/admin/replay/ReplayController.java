// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.replay;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.AuditContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Our extension: rebuild the read side from the event store. */
@RestController
public class ReplayController {
  private static final Logger log = LoggerFactory.getLogger(ReplayController.class);

  private final ObjectProvider<ReplayService> replay;
  private final AuditContext audit;

  public ReplayController(ObjectProvider<ReplayService> replay, AuditContext audit) {
    this.replay = replay;
    this.audit = audit;
  }

  public record ReplayRequest(@JsonAlias("processing_group") String processingGroup) {}

  public record ReplayResponse(List<String> replayed) {}

  @PostMapping("/api/v1/admin/replay")
  public ReplayResponse replay(@RequestBody(required = false) ReplayRequest request) {
    ReplayService service = replay.getIfAvailable();
    if (service == null) {
      throw new ApiProblem(HttpStatus.NOT_IMPLEMENTED, "this server has no replay service");
    }
    String group = request == null || request.processingGroup() == null || request.processingGroup().isBlank()
        ? null : request.processingGroup().trim();
    // a replay changes no state, so it is not a command; the log keeps who asked for it
    log.info("projection replay of {} requested by {}", group == null ? "all projections" : group, audit.actor().id());
    try {
      return new ReplayResponse(service.replay(group));
    } catch (IllegalArgumentException unknown) {
      throw ApiProblem.notFound(unknown.getMessage());
    }
  }
}
