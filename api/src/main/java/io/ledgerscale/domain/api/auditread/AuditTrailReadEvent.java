// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.auditread;

import org.axonframework.serialization.Revision;

/** The audit trail was read: what kind of read, with which query, and how many records it gave. */
@Revision("1")
public record AuditTrailReadEvent(String readId, String what, String query, long entries) {}
