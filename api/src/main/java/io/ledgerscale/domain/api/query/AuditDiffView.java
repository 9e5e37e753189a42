// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The changes between two moments, one per thing that changed: its values before the first change
 * and after the last, and every change in between with who made it (oldest first). {@code
 * truncated} says the window held more changes than one answer carries.
 */
public record AuditDiffView(Instant from, Instant to, List<Change> changes, boolean truncated) {

  public record Change(
      String targetType,
      String targetId,
      Map<String, Object> before,
      Map<String, Object> after,
      List<AuditEntryView> entries) {}
}
