// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Wires the domain into Axon: every aggregate gets an event-sourced repository; the Tailnet aggregate, which every
 * registration and every name change loads first, is also cached and snapshotted so its growing stream is not
 * replayed on each command.
 */
@Configuration(proxyBeanMethods = false)
@Import(DomainRegistrar.class)
public class DomainConfiguration {
  static final String TAILNET = "io.ledgerscale.domain.tailnet.Tailnet";
  /** A snapshot after this many Tailnet events keeps its load time flat. */
  static final int TAILNET_SNAPSHOT_EVERY = 250;

  @Bean
  public ConfigurerModule domainAggregates(ObjectProvider<Snapshotter> snapshotter) {
    DomainClasses domain = DomainClasses.scan(getClass().getClassLoader());
    return configurer -> {
      for (Class<?> type : domain.aggregates()) {
        configurer.configureAggregate(aggregate(type, snapshotter));
      }
    };
  }

  private static <A> AggregateConfigurer<A> aggregate(Class<A> type, ObjectProvider<Snapshotter> snapshotter) {
    AggregateConfigurer<A> aggregate = AggregateConfigurer.defaultConfiguration(type);
    if (type.getName().equals(TAILNET)) {
      aggregate
          .configureCache(c -> new WeakReferenceCache())
          .configureSnapshotTrigger(
              c -> new EventCountSnapshotTriggerDefinition(snapshotter.getObject(), TAILNET_SNAPSHOT_EVERY));
    }
    return aggregate;
  }
}
