// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.deadletter;

import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * A projection's dead letters of one sequence were evicted: that projection skips these events for
 * good. {@code eventIds} names at most {@link #MAX_EVENT_IDS} of the {@code letters}.
 */
@Revision("1")
public record DeadLettersEvictedEvent(
    String group, String sequence, int letters, List<String> eventIds) {
  public static final int MAX_EVENT_IDS = 100;
}
