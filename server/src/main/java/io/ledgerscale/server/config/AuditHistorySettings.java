// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import io.ledgerscale.projections.audit.RepeatFolding;
import java.time.Duration;

/**
 * {@code audit_history.*}: how the audit trail is listed (docs/audit-history.md). The record itself
 * never changes with these settings; only how it reads.
 */
public class AuditHistorySettings {
  /**
   * Identical refusals from one client within this time of the first become one entry with a count;
   * 0 lists each on its own.
   */
  public String foldRepeatsWithin = "10m";

  /** The most refusals one entry counts; the next starts a new entry. */
  public int foldRepeatsMax = 1000;

  RepeatFolding folding() {
    Duration window = GoDuration.parse("audit_history.fold_repeats_within", foldRepeatsWithin);
    if (window == null || window.isNegative()) {
      throw new ConfigException(
          "audit_history.fold_repeats_within: must be a duration such as 10m, or 0");
    }
    if (foldRepeatsMax < 1 || foldRepeatsMax > 100_000) {
      throw new ConfigException("audit_history.fold_repeats_max: must be between 1 and 100000");
    }
    return new RepeatFolding(window, foldRepeatsMax);
  }
}
