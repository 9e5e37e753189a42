// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import java.util.Map;

/** What an event did to what: the target, the values before and after, and a one-line summary. */
record AuditDescription(
    String targetType,
    String targetId,
    Map<String, Object> oldValues,
    Map<String, Object> newValues,
    String summary) {}
