// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.id;
import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.enrollment.ForeignNodeKeyRefusedEvent;

/** Enrollment's own refusals, in words: a machine that presented another node's key. */
final class EnrollmentDescriptions {
  private EnrollmentDescriptions() {}

  static void register(Descriptions d) {
    d.on(ForeignNodeKeyRefusedEvent.class, EnrollmentDescriptions::foreignNodeKeyRefused);
  }

  private static AuditDescription foreignNodeKeyRefused(ForeignNodeKeyRefusedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        none(),
        of("command", e.command(), "kind", RefusalKind.CREDENTIAL_REJECTED, "reason", e.reason()),
        "refused to "
            + CommandWords.of(e.command())
            + " with the node key of node "
            + e.nodeId()
            + ": "
            + e.reason());
  }
}
