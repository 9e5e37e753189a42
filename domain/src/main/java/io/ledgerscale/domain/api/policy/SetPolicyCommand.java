// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.policy;

/** Replaces the policy document (HuJSON, kept verbatim). */
public record SetPolicyCommand(String policy) {}
