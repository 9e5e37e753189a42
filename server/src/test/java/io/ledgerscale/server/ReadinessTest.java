// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.server.support.RunningServer;
import io.ledgerscale.server.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.availability.ReadinessStateHealthIndicator;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;

/** Health counts readiness: it is UP only after startup, first admin key included, has finished. */
class ReadinessTest {

  @Test
  void shouldReportHealthThroughTheReadinessState() {
    try (RunningServer server = RunningServer.start(TestConfigs.write("readiness", ""))) {
      assertThat(server.beanNames(ReadinessStateHealthIndicator.class)).isNotEmpty();
      assertThat(server.bean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);
    }
  }
}
