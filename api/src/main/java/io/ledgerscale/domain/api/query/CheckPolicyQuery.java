// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/** Checks a policy document (HuJSON) without setting it. Answers a {@link PolicyCheckView}. */
public record CheckPolicyQuery(String policy) {}
