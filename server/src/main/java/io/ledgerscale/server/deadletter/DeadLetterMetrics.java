// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import io.ledgerscale.admin.deadletter.DeadLetters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * {@code ledgerscale.projections.dead_letters{group=…}}: the dead letters each processing group
 * holds, read from the table when scraped. Registered once the processors are known.
 */
public final class DeadLetterMetrics implements ApplicationListener<ApplicationReadyEvent> {
  public static final String NAME = "ledgerscale.projections.dead_letters";

  private final ObjectProvider<MeterRegistry> registry;
  private final DeadLetters deadLetters;
  private final DeadLetterTable table;

  public DeadLetterMetrics(
      ObjectProvider<MeterRegistry> registry, DeadLetters deadLetters, DeadLetterTable table) {
    this.registry = registry;
    this.deadLetters = deadLetters;
    this.table = table;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    MeterRegistry meters = registry.getIfAvailable();
    if (meters == null) {
      return;
    }
    for (String group : deadLetters.groups()) {
      Gauge.builder(NAME, table, t -> t.count(group))
          .description("events a projection could not handle, set aside (dead letters)")
          .tag("group", group)
          .register(meters);
    }
  }
}
