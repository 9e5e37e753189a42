// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import io.ledgerscale.admin.deadletter.DeadLetters;
import io.ledgerscale.server.db.DatabaseProbe;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The projections' dead letters: savepoints that let a failed handler be set aside, the list, retry
 * and eviction the admin API exposes, the "projections" health indicator and the gauge. The queues
 * themselves are registered with the processors in AxonConfiguration.
 */
@Configuration(proxyBeanMethods = false)
public class DeadLetterConfiguration {
  @Bean
  public static SavepointPerEventHandler savepointPerEventHandler(
      ObjectProvider<PlatformTransactionManager> transactions) {
    return new SavepointPerEventHandler(transactions);
  }

  @Bean
  public DeadLetterTable deadLetterTable(JdbcTemplate jdbc) {
    return new DeadLetterTable(jdbc);
  }

  @Bean
  public AxonDeadLetters deadLetters(
      EventProcessingConfiguration processing,
      TransactionManager transactions,
      DeadLetterTable table) {
    return new AxonDeadLetters(processing, transactions, table);
  }

  /** Bean name without "HealthIndicator" is the name /health shows: "projections". */
  @Bean
  public ProjectionsHealthIndicator projectionsHealthIndicator(
      DeadLetterTable table,
      ObjectProvider<EventProcessingConfiguration> processing,
      ObjectProvider<DatabaseProbe> database) {
    return new ProjectionsHealthIndicator(
        table,
        processing,
        () -> {
          DatabaseProbe probe = database.getIfAvailable();
          return probe == null || probe.lastSeenUp();
        });
  }

  @Bean
  public DeadLetterMetrics deadLetterMetrics(
      ObjectProvider<MeterRegistry> registry, DeadLetters deadLetters, DeadLetterTable table) {
    return new DeadLetterMetrics(registry, deadLetters, table);
  }
}
