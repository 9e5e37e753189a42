// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.deadletter;

import java.util.List;

/**
 * Records that an operator evicts one sequence of a projection's dead letters: the projection will
 * never see those events. Sent in the transaction that evicts them, so the record and the eviction
 * happen together or not at all.
 */
public record RecordDeadLetterEvictionCommand(
    String group, String sequence, int letters, List<String> eventIds) {}
