// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import org.axonframework.serialization.Revision;

/** A second admin rejected the change; it never ran. */
@Revision("1")
public record ApprovalRejectedEvent(
    String requestId, String deciderType, String deciderId, String deciderName, String reason) {}
