// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.RefusalKind;
import java.util.Locale;

/** Refused commands, in words: what was refused, on what, and why. */
final class RefusalDescriptions {
  private RefusalDescriptions() {}

  static void register(Descriptions d) {
    d.on(CommandRefusedEvent.class, RefusalDescriptions::commandRefused);
  }

  private static AuditDescription commandRefused(CommandRefusedEvent e) {
    return new AuditDescription(
        e.targetType(),
        e.targetId(),
        none(),
        of("command", e.command(), "kind", e.kind(), "reason", e.reason()),
        "refused to "
            + CommandWords.of(e.command())
            + (e.targetId() == null || e.targetId().isEmpty()
                ? ""
                : " (" + targetWord(e.targetType()) + " " + e.targetId() + ")")
            + ", "
            + kindWords(e.kind())
            + ": "
            + e.reason());
  }

  private static String targetWord(String targetType) {
    return targetType == null ? "target" : targetType.toLowerCase(Locale.ROOT);
  }

  private static String kindWords(RefusalKind kind) {
    if (kind == null) {
      return "refused";
    }
    return switch (kind) {
      case INVALID -> "the request was invalid";
      case NOT_FOUND -> "it does not exist";
      case CONFLICT -> "it conflicts with the current state";
      case NOT_PERMITTED -> "not permitted";
      case CREDENTIAL_REJECTED -> "the credential was rejected";
    };
  }
}
