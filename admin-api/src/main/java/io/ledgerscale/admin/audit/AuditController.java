// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.audit;

import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.query.AuditEntryView;
import io.ledgerscale.domain.api.query.AuditPage;
import io.ledgerscale.domain.api.query.FetchAuditTrailQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Our extension: the audit trail, newest first, one entry per event. */
@RestController
public class AuditController {
  static final int DEFAULT_SIZE = 50;
  static final int MAX_SIZE = 1000;

  private final AdminGateway gateway;
  private final AuditReads reads;

  public AuditController(AdminGateway gateway) {
    this.gateway = gateway;
    this.reads = new AuditReads(gateway);
  }

  public record AuditEntryJson(
      String globalIndex,
      String eventId,
      String timestamp,
      String action,
      String actorType,
      String actorId,
      String actorName,
      String origin,
      String sourceIp,
      String correlationId,
      String targetType,
      String targetId,
      Map<String, Object> oldValues,
      Map<String, Object> newValues,
      String summary,
      int count,
      String lastTimestamp,
      List<String> foldedIndexes,
      boolean bookkeeping) {

    public static AuditEntryJson of(AuditEntryView entry) {
      return new AuditEntryJson(
          Long.toString(entry.globalIndex()),
          entry.eventId(),
          Timestamps.format(entry.timestamp()),
          entry.action(),
          entry.actorType(),
          entry.actorId(),
          entry.actorName(),
          entry.origin(),
          entry.sourceIp(),
          entry.correlationId(),
          entry.targetType(),
          entry.targetId(),
          entry.oldValues() == null ? Map.of() : entry.oldValues(),
          entry.newValues() == null ? Map.of() : entry.newValues(),
          entry.summary(),
          Math.max(entry.count(), 1),
          Timestamps.format(
              entry.lastTimestamp() == null ? entry.timestamp() : entry.lastTimestamp()),
          entry.foldedIndexes() == null
              ? List.of(Long.toString(entry.globalIndex()))
              : entry.foldedIndexes().stream().map(i -> Long.toString(i)).toList(),
          entry.bookkeeping());
    }
  }

  public record AuditResponse(List<AuditEntryJson> entries, long total, int page, int size) {}

  @GetMapping("/api/v1/audit")
  public AuditResponse trail(
      @RequestParam(required = false) String actor,
      @RequestParam(name = "target_type", required = false) String targetType,
      @RequestParam(name = "target_id", required = false) String targetId,
      @RequestParam(required = false) String action,
      @RequestParam(required = false) Instant from,
      @RequestParam(required = false) Instant to,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "" + DEFAULT_SIZE) int size,
      @RequestParam(defaultValue = "false") boolean bookkeeping) {
    Bounds.check(
        InputBounds.text("actor", actor, InputBounds.PROVIDER_ID_MAX),
        InputBounds.text("target_type", targetType, InputBounds.ID_TEXT_MAX),
        InputBounds.text("target_id", targetId, InputBounds.ID_TEXT_MAX),
        InputBounds.text("action", action, InputBounds.ID_TEXT_MAX),
        InputBounds.instant("from", from),
        InputBounds.instant("to", to));
    if (page < 0 || size < 1 || size > MAX_SIZE) {
      throw ApiProblem.badRequest("page must be 0 or more and size between 1 and " + MAX_SIZE);
    }
    if (from != null && to != null && from.isAfter(to)) {
      throw ApiProblem.badRequest("from is after to");
    }
    AuditPage answer =
        gateway.query(
            new FetchAuditTrailQuery(
                blank(actor),
                blank(targetType),
                blank(targetId),
                blank(action),
                from,
                to,
                page,
                size,
                bookkeeping),
            AuditPage.class);
    List<AuditEntryJson> entries =
        answer == null || answer.entries() == null
            ? List.of()
            : answer.entries().stream().map(AuditEntryJson::of).toList();
    reads.record(
        "list",
        AuditReads.query(
            "actor",
            blank(actor),
            "target_type",
            blank(targetType),
            "target_id",
            blank(targetId),
            "action",
            blank(action),
            "from",
            from,
            "to",
            to,
            "page",
            page,
            "size",
            size,
            "bookkeeping",
            bookkeeping ? true : null),
        entries.size());
    return new AuditResponse(entries, answer == null ? 0 : answer.total(), page, size);
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
