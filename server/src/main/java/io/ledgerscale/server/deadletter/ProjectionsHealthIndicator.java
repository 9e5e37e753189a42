// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import io.ledgerscale.admin.deadletter.DeadLetters.Letter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Whether every projection is whole: {@link #DEGRADED} when a processing group has set events aside
 * or a processor is in error, naming the group and, per group, the first failed event (global
 * position, type, aggregate, bounded error). The server still serves, so this is not DOWN: a load
 * balancer must not take every instance out for one unreadable audit entry, but the status is not
 * UP either, and {@code details.summary} says in one line what is wrong.
 */
public final class ProjectionsHealthIndicator implements HealthIndicator {
  /** The name /health lists it under. */
  public static final String NAME = "projections";

  public static final Status DEGRADED = new Status("DEGRADED", "a projection is not whole");

  private final DeadLetterTable table;
  private final ObjectProvider<EventProcessingConfiguration> processing;
  private final BooleanSupplier databaseAnswers;

  /**
   * {@code databaseAnswers}: whether the database answered lately, without waiting; while it does
   * not, the dead-letter table is not read, so /health answers at once instead of after the pool's
   * connection timeout.
   */
  public ProjectionsHealthIndicator(
      DeadLetterTable table,
      ObjectProvider<EventProcessingConfiguration> processing,
      BooleanSupplier databaseAnswers) {
    this.table = table;
    this.processing = processing;
    this.databaseAnswers = databaseAnswers;
  }

  @Override
  public Health health() {
    Map<String, String> processorErrors = processorErrors();
    if (!databaseAnswers.getAsBoolean()) {
      return Health.unknown()
          .withDetail("processorErrors", processorErrors)
          .withDetail("error", "the database does not answer; dead letters not read")
          .build();
    }
    Map<String, Long> counts;
    try {
      counts = table.counts();
    } catch (RuntimeException unreadable) {
      // the database is away (the "db" component says so): whether letters wait is unknown
      return Health.unknown()
          .withDetail("processorErrors", processorErrors)
          .withDetail("error", BoundedCause.bounded(String.valueOf(unreadable.getMessage())))
          .build();
    }
    if (counts.isEmpty() && processorErrors.isEmpty()) {
      return Health.up().withDetail("deadLetters", 0).build();
    }
    List<Map<String, Object>> failing = new ArrayList<>();
    List<String> summary = new ArrayList<>();
    for (Map.Entry<String, Long> group : counts.entrySet()) {
      List<Letter> first = table.list(group.getKey(), 1);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("group", group.getKey());
      f.put("deadLetters", group.getValue());
      if (!first.isEmpty()) {
        Letter l = first.get(0);
        f.put("position", l.position());
        f.put("eventType", l.eventType());
        f.put("aggregateId", l.aggregateId());
        f.put("error", l.error());
        summary.add(
            group.getKey()
                + ": "
                + group.getValue()
                + " dead letter(s), first at position "
                + l.position()
                + " ("
                + l.eventType()
                + ", aggregate "
                + l.aggregateId()
                + "): "
                + l.error());
      } else {
        summary.add(group.getKey() + ": " + group.getValue() + " dead letter(s)");
      }
      failing.add(f);
    }
    processorErrors.forEach((name, error) -> summary.add(name + ": in error: " + error));
    return Health.status(DEGRADED)
        .withDetail("deadLetters", counts)
        .withDetail("failing", failing)
        .withDetail("processorErrors", processorErrors)
        .withDetail("summary", String.join("; ", summary))
        .build();
  }

  private Map<String, String> processorErrors() {
    Map<String, String> errors = new TreeMap<>();
    EventProcessingConfiguration config = processing.getIfAvailable();
    if (config == null) {
      return errors;
    }
    config
        .eventProcessors()
        .forEach(
            (name, processor) -> {
              if (processor instanceof StreamingEventProcessor streaming) {
                for (EventTrackerStatus s : streaming.processingStatus().values()) {
                  if (s.isErrorState()) {
                    Throwable e = s.getError();
                    errors.put(
                        name,
                        e == null
                            ? "unknown error"
                            : BoundedCause.bounded(
                                e.getClass().getSimpleName() + ": " + e.getMessage()));
                  }
                }
              }
            });
    return errors;
  }
}
