// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.dao.DataAccessException;

/**
 * {@code ledgerscale.projections.lag{group}}: how many events each processing group has still to
 * handle, the event store's head position minus the lowest position of the group's segments that
 * run on this instance. A group none of whose segments runs here (another instance holds them)
 * reports NaN. Registered once the processors are known.
 */
public final class ProjectionLagMetrics implements ApplicationListener<ApplicationReadyEvent> {
  public static final String NAME = "ledgerscale.projections.lag";

  private final ObjectProvider<MeterRegistry> registry;
  private final EventProcessingConfiguration processing;
  private final LongSupplier head;

  /** {@code head}: the global index of the newest stored event, read at most once a second. */
  public ProjectionLagMetrics(
      ObjectProvider<MeterRegistry> registry,
      EventProcessingConfiguration processing,
      LongSupplier head) {
    this.registry = registry;
    this.processing = processing;
    this.head = new RecentValue(head, 1_000);
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    MeterRegistry meters = registry.getIfAvailable();
    if (meters == null) {
      return;
    }
    processing
        .eventProcessors()
        .forEach(
            (group, processor) -> {
              if (processor instanceof StreamingEventProcessor streaming) {
                Gauge.builder(NAME, streaming, this::lag)
                    .description("events stored but not yet handled by the processing group")
                    .baseUnit("events")
                    .tag("group", group)
                    .register(meters);
              }
            });
  }

  private double lag(StreamingEventProcessor processor) {
    OptionalLong position = position(processor.processingStatus());
    if (position.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Math.max(0, head.getAsLong() - position.getAsLong());
    } catch (DataAccessException unavailable) {
      // the database is down: /health says so; the lag is unknown
      return Double.NaN;
    }
  }

  /** The lowest position over the segments running here; a segment with no token yet is at 0. */
  static OptionalLong position(Map<Integer, EventTrackerStatus> status) {
    if (status.isEmpty()) {
      return OptionalLong.empty();
    }
    long lowest = Long.MAX_VALUE;
    for (EventTrackerStatus s : status.values()) {
      lowest = Math.min(lowest, s.getCurrentPosition().orElse(0));
    }
    return OptionalLong.of(lowest);
  }

  /** A value read again only when the last read is older than {@code maxAgeMillis}. */
  static final class RecentValue implements LongSupplier {
    private final LongSupplier source;
    private final long maxAgeNanos;
    private long value;
    private long readAt;
    private boolean read;

    RecentValue(LongSupplier source, long maxAgeMillis) {
      this.source = source;
      this.maxAgeNanos = maxAgeMillis * 1_000_000;
    }

    @Override
    public synchronized long getAsLong() {
      long now = System.nanoTime();
      if (!read || now - readAt > maxAgeNanos) {
        value = source.getAsLong();
        readAt = now;
        read = true;
      }
      return value;
    }
  }
}
