// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.deadletter;

/** Records that an operator handed a projection's dead letters to it again, and what came of it. */
public record RecordDeadLetterRetryCommand(
    String group, long before, long processed, long stillFailing) {}
