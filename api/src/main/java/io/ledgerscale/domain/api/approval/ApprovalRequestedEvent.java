// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A change waits for a second admin. The requester is named here, as the decision needs it. */
@Revision("1")
public record ApprovalRequestedEvent(
    String requestId,
    FourEyesAction action,
    String commandJson,
    String summary,
    String requesterType,
    String requesterId,
    String requesterName,
    Instant expiresAt) {}
