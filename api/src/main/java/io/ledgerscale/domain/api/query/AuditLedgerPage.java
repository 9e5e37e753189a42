// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.util.List;

/**
 * Lines of an audit export (each one JSON object), the tree size they are proven against, and the
 * leaf to ask after for the next page ({@code -1} when this page is the last).
 */
public record AuditLedgerPage(List<String> lines, long treeSize, long nextAfterLeaf) {}
