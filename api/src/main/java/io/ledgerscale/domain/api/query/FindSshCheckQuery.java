// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/** One SSH check by id, whatever its state. Answers an {@link SshCheckView}, or null. */
public record FindSshCheckQuery(String checkId) {}
