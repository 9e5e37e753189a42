// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.ledgerscale.domain.support.DomainConfiguration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the domain into Axon the way the domain prescribes ({@link DomainConfiguration}): its
 * aggregates as event-sourced aggregates, its external command handlers built from their
 * repositories and the clock. The Tailnet aggregate, which every registration and name change loads
 * first, is also cached and snapshotted so its growing stream is not replayed on each command.
 */
@Configuration(proxyBeanMethods = false)
public class DomainWiring {
  static final String TAILNET = "io.ledgerscale.domain.tailnet.Tailnet";

  /** A snapshot after this many Tailnet events keeps its load time flat. */
  static final int TAILNET_SNAPSHOT_EVERY = 250;

  @Bean
  public ConfigurerModule domain(ObjectProvider<Snapshotter> snapshotter, Clock clock) {
    return configurer -> {
      for (Class<?> type : DomainConfiguration.AGGREGATES) {
        configurer.configureAggregate(aggregate(type, snapshotter));
      }
      DomainConfiguration.registerCommandHandlers(configurer, clock);
      DomainConfiguration.registerEventHandlers(configurer);
    };
  }

  /**
   * Axon's Spring snapshotter only knows aggregates that are Spring beans, and the domain's are
   * not; this one gets a factory for each domain aggregate, inspected with Spring's parameter
   * resolvers (handlers take a Clock).
   */
  @Bean
  public Snapshotter aggregateSnapshotter(
      org.axonframework.config.Configuration configuration,
      EventStore eventStore,
      TransactionManager transactionManager,
      ParameterResolverFactory parameterResolverFactory,
      HandlerDefinition handlerDefinition) {
    List<AggregateFactory<?>> factories = new ArrayList<>();
    for (Class<?> type : DomainConfiguration.AGGREGATES) {
      factories.add(
          new GenericAggregateFactory<>(
              AnnotatedAggregateMetaModelFactory.inspectAggregate(
                  type, parameterResolverFactory, handlerDefinition)));
    }
    return AggregateSnapshotter.builder()
        .eventStore(eventStore)
        .aggregateFactories(factories)
        .repositoryProvider(configuration::repository)
        .transactionManager(transactionManager)
        .parameterResolverFactory(parameterResolverFactory)
        .handlerDefinition(handlerDefinition)
        .build();
  }

  private static <A> AggregateConfigurer<A> aggregate(
      Class<A> type, ObjectProvider<Snapshotter> snapshotter) {
    AggregateConfigurer<A> aggregate = AggregateConfigurer.defaultConfiguration(type);
    if (type.getName().equals(TAILNET)) {
      aggregate
          .configureCache(c -> new WeakReferenceCache())
          .configureSnapshotTrigger(
              c ->
                  new EventCountSnapshotTriggerDefinition(
                      snapshotter.getObject(), TAILNET_SNAPSHOT_EVERY));
    }
    return aggregate;
  }
}
