// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

/**
 * An admin registers a pending request for a user (name or numeric id). Answers with a
 * NodeRegistration.
 */
public record ApproveRegistrationCommand(String authId, String user) {}
