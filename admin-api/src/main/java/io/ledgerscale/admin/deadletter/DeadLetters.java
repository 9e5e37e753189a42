// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.deadletter;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Events a projection could not handle, set aside per processing group so the projection keeps
 * moving. The server implements it (it owns the event processors and their queues); the admin API
 * only exposes it.
 */
public interface DeadLetters {

  /** The processing groups that set failed events aside. */
  Set<String> groups();

  /** Dead letters, oldest first, of one group or (group null) of all; at most {@code limit}. */
  List<Letter> list(String group, int limit);

  /**
   * Hands the group's dead letters to its handlers again, each sequence once, in order; those that
   * fail again stay.
   */
  Retry retry(String group);

  /**
   * Drops every dead letter of one sequence of a group; returns how many. {@code record} is told
   * the ids of the events dropped, in the transaction that drops them, so an eviction that cannot
   * be recorded does not happen (it is not called when there is nothing to drop).
   */
  int evict(String group, String sequence, Consumer<List<String>> record);

  /**
   * One dead letter: where it is queued (group, sequence, index in the sequence), which event
   * (global position in the event store, type, id, aggregate and its sequence number), when it was
   * queued and last tried, and why it failed (bounded).
   */
  record Letter(
      String group,
      String sequence,
      long sequenceIndex,
      Long position,
      String eventType,
      String eventId,
      String aggregateId,
      Long aggregateSequence,
      Instant enqueuedAt,
      Instant lastTouched,
      String errorType,
      String error) {}

  /** A retry of a group: how many letters it held, how many were processed, how many remain. */
  record Retry(String group, long before, long processed, long stillFailing) {}
}
