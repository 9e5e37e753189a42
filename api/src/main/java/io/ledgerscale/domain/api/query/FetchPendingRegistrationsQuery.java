// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The queue of interactive registrations waiting for an admin. Answers List of {@link
 * PendingRegistrationView}.
 */
public record FetchPendingRegistrationsQuery() {}
