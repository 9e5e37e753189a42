// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.enrollment;

/**
 * A node's register request with an expiry in the past: the client logs out. The node holding
 * {@code nodeKey} on this machine expires now (an ephemeral one is deleted); a key no node holds
 * changes nothing. Answers an {@link EnrollmentAnswer.LoggedOut}.
 */
public record LogOutNodeCommand(String machineKey, String nodeKey) {}
