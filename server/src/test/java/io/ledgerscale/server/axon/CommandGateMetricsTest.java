// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.ServerBusyException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandGateMetricsTest {

  @Test
  void shouldReportRunningCommandsAndRefusals() {
    CommandGate gate = new CommandGate(1, Duration.ZERO, Duration.ofSeconds(1));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new CommandGateMetrics(gate).bindTo(registry);

    gate.enter("a.First");
    assertThatThrownBy(() -> gate.enter("a.Second"))
        .isInstanceOf(ServerBusyException.class)
        .hasMessageStartingWith("server busy: Second not run");

    assertThat(registry.get("ledgerscale.commands.running").gauge().value()).isEqualTo(1);
    assertThat(registry.get("ledgerscale.commands.permits").gauge().value()).isEqualTo(1);
    assertThat(registry.get("ledgerscale.commands.waiting").gauge().value()).isZero();
    assertThat(registry.get("ledgerscale.commands.refused.busy").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("ledgerscale.commands.gate.wait").timer().count())
        .as("the entered command and the refused one both waited (for no time)")
        .isEqualTo(2);
    gate.leave();
    assertThat(registry.get("ledgerscale.commands.running").gauge().value()).isZero();
  }
}
