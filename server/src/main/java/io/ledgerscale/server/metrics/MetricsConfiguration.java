// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventBus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The server's own meters on /metrics (docs/metrics.md); the gateway's, the command gate's and the
 * dead letters' are registered beside what they measure.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {
  @Bean
  public RegistrationMetrics registrationMetrics(EventBus events) {
    return new RegistrationMetrics(events);
  }

  @Bean
  public ProjectionLagMetrics projectionLagMetrics(
      ObjectProvider<MeterRegistry> registry,
      EventProcessingConfiguration processing,
      JdbcTemplate jdbc) {
    return new ProjectionLagMetrics(
        registry,
        processing,
        () -> {
          Long head =
              jdbc.queryForObject(
                  "SELECT coalesce(max(globalindex), 0) FROM domainevententry", Long.class);
          return head == null ? 0 : head;
        });
  }
}
