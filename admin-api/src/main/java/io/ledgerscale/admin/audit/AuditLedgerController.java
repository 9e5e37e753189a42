// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.audit;

import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.query.AuditCheckpointQuery;
import io.ledgerscale.domain.api.query.AuditCheckpointView;
import io.ledgerscale.domain.api.query.AuditLedgerPage;
import io.ledgerscale.domain.api.query.ExportAuditLedgerQuery;
import io.ledgerscale.domain.api.query.ProveAuditEntryQuery;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Our extension: the provable audit ledger (docs/audit-ledger.md). Exports and proofs come as
 * lines, each one JSON object, exactly what {@code ledgerscale audit verify} reads offline.
 */
@RestController
public class AuditLedgerController {
  private final AdminGateway gateway;
  private final AuditReads reads;

  public AuditLedgerController(AdminGateway gateway) {
    this.gateway = gateway;
    this.reads = new AuditReads(gateway);
  }

  /** A page of export lines; ask again with {@code after=next_after} until it is -1. */
  public record ExportPageJson(List<String> lines, long treeSize, long nextAfter) {}

  public record CheckpointJson(
      long treeSize, String rootHash, String note, String verifierKey, String signedAt) {
    static CheckpointJson of(AuditCheckpointView v) {
      return new CheckpointJson(
          v.treeSize(), v.rootHash(), v.note(), v.verifierKey(), Timestamps.format(v.signedAt()));
    }
  }

  @GetMapping("/api/v1/audit/export")
  public ExportPageJson export(
      @RequestParam(defaultValue = "jsonl") String format,
      @RequestParam(required = false) Instant from,
      @RequestParam(required = false) Instant to,
      @RequestParam(defaultValue = "-1") long after,
      @RequestParam(name = "tree_size", defaultValue = "0") long treeSize,
      @RequestParam(defaultValue = "" + ExportAuditLedgerQuery.MAX_LIMIT) int limit) {
    Bounds.check(InputBounds.instant("from", from), InputBounds.instant("to", to));
    if (!format.equals("jsonl") && !format.equals("ocsf")) {
      throw ApiProblem.badRequest("format must be jsonl or ocsf");
    }
    if (after < -1 || treeSize < 0 || limit < 1 || limit > ExportAuditLedgerQuery.MAX_LIMIT) {
      throw ApiProblem.badRequest(
          "after must be -1 or more, tree_size 0 or more, limit between 1 and "
              + ExportAuditLedgerQuery.MAX_LIMIT);
    }
    if (from != null && to != null && from.isAfter(to)) {
      throw ApiProblem.badRequest("from is after to");
    }
    AuditLedgerPage page =
        gateway.query(
            new ExportAuditLedgerQuery(from, to, format, after, treeSize, limit),
            AuditLedgerPage.class);
    if (page == null) {
      throw ApiProblem.notFound("no checkpoint of tree size " + treeSize);
    }
    reads.record(
        "export",
        AuditReads.query(
            "format", format, "from", from, "to", to, "after", after, "tree_size", treeSize),
        page.lines().size());
    return new ExportPageJson(page.lines(), page.treeSize(), page.nextAfterLeaf());
  }

  /** The inclusion proof of one event (event id or global index), as a one-entry export. */
  @GetMapping("/api/v1/audit/proof/{id}")
  public ExportPageJson prove(@PathVariable String id) {
    Bounds.check(InputBounds.idText("id", id));
    AuditLedgerPage page = gateway.query(new ProveAuditEntryQuery(id), AuditLedgerPage.class);
    if (page == null) {
      throw ApiProblem.notFound("no event " + id + " in the audit ledger");
    }
    reads.record("prove", AuditReads.query("id", id), page.lines().size());
    return new ExportPageJson(page.lines(), page.treeSize(), -1);
  }

  @GetMapping("/api/v1/audit/checkpoint")
  public CheckpointJson checkpoint() {
    return CheckpointJson.of(
        gateway.query(new AuditCheckpointQuery(false), AuditCheckpointView.class));
  }

  /** Brings the ledger up to date and signs a checkpoint of it now. */
  @PostMapping("/api/v1/audit/checkpoint")
  public CheckpointJson signCheckpoint() {
    return CheckpointJson.of(
        gateway.query(new AuditCheckpointQuery(true), AuditCheckpointView.class));
  }
}
