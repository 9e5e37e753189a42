// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.audit;

import org.axonframework.serialization.Revision;

/**
 * A command was refused for a reason worth auditing (wrong key, tag not owned, ...). Nothing else
 * changed.
 */
@Revision("1")
public record CommandRefusedEvent(
    String command, String targetType, String targetId, RefusalKind kind, String reason) {}
