// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.deadletter;

import org.axonframework.serialization.Revision;

/** A projection's dead letters were handed to it again: how many, how many went through. */
@Revision("1")
public record DeadLettersRetriedEvent(
    String group, long before, long processed, long stillFailing) {}
