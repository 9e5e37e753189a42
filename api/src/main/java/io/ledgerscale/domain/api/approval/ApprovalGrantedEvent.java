// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import org.axonframework.serialization.Revision;

/** A second admin approved; the held change ran in the same transaction, as theirs. */
@Revision("1")
public record ApprovalGrantedEvent(
    String requestId, String approverType, String approverId, String approverName) {}
