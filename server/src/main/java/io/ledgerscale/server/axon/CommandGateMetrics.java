// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/** How close the server is to its command capacity, on /metrics (docs/metrics.md). */
public class CommandGateMetrics implements MeterBinder {
  /** From no wait at all to the longest command_queue_timeout an operator would set. */
  static final Duration[] WAIT_BUCKETS =
      LongStream.of(1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000)
          .mapToObj(Duration::ofMillis)
          .toArray(Duration[]::new);

  private final CommandGate gate;

  public CommandGateMetrics(CommandGate gate) {
    this.gate = gate;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("ledgerscale.commands.running", gate, CommandGate::running)
        .description("commands holding a database connection")
        .register(registry);
    Gauge.builder("ledgerscale.commands.waiting", gate, CommandGate::waiting)
        .description("commands waiting for their turn")
        .register(registry);
    Gauge.builder("ledgerscale.commands.permits", gate, CommandGate::size)
        .description("commands that may hold a connection at once")
        .register(registry);
    FunctionCounter.builder("ledgerscale.commands.refused.busy", gate, CommandGate::refused)
        .description("commands refused because the server was busy")
        .register(registry);
    Timer waits =
        Timer.builder("ledgerscale.commands.gate.wait")
            .description("how long a command waited for its turn, refused ones included")
            .serviceLevelObjectives(WAIT_BUCKETS)
            .register(registry);
    gate.observeWaitsWith(nanos -> waits.record(nanos, TimeUnit.NANOSECONDS));
  }
}
