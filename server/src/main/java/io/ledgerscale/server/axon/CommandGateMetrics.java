// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** How close the server is to its command capacity, on the actuator's metrics endpoint. */
public class CommandGateMetrics implements MeterBinder {
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
  }
}
