// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.auditread.AuditTrailReadEvent;

/** Reads of the audit trail itself (who looked at what). */
final class AuditReadDescriptions {
  private AuditReadDescriptions() {}

  static void register(Descriptions d) {
    d.on(AuditTrailReadEvent.class, AuditReadDescriptions::auditTrailRead);
  }

  private static AuditDescription auditTrailRead(AuditTrailReadEvent e) {
    return new AuditDescription(
        "audit",
        e.what(),
        none(),
        of("query", e.query(), "entries", e.entries()),
        "read the audit trail ("
            + e.what()
            + (e.query() == null || e.query().isEmpty() ? "" : " " + e.query())
            + "): "
            + e.entries()
            + " record(s)");
  }
}
