// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

/**
 * Four-eyes requests, newest first; {@code pendingOnly} leaves out decided and expired ones.
 * Answers a list of {@link ApprovalView}.
 */
public record FetchApprovalsQuery(boolean pendingOnly) {}
