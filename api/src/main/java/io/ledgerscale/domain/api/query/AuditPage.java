// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.util.List;

/** One page of the audit trail. */
public record AuditPage(List<AuditEntryView> entries, long total, int page, int size) {}
