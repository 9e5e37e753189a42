// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.ledgerscale.domain.DomainConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * repositories and the clock. The aggregates whose streams grow with the tailnet are also cached
 * and snapshotted so their streams are not replayed on each command: the Tailnet, which every
 * registration and name change loads first, and the pre-auth keys, since a reusable key records
 * every registration made with it. A cached aggregate another instance has changed since fails its
 * append on the stream's sequence number; the rollback evicts it and the retry loads it afresh.
 */
@Configuration(proxyBeanMethods = false)
public class DomainWiring {
  /**
   * The aggregates that are snapshotted, each with how many events past its last snapshot trigger
   * the next one; that keeps their load time flat. The policy document is read by every
   * registration and keeps every version ever set: it is snapshotted but not cached, so a
   * registration on one instance never decides tags or address pools by a policy another instance
   * has replaced.
   */
  static final Map<String, Integer> SNAPSHOT_EVERY =
      Map.of(
          "io.ledgerscale.domain.tailnet.Tailnet", 250,
          "io.ledgerscale.domain.preauthkey.PreAuthKey", 100,
          "io.ledgerscale.domain.policydocument.PolicyDocument", 20);

  /**
   * How many of each cached type stay in memory: the one Tailnet, and the pre-auth keys in use (a
   * reusable key is loaded by every registration made with it).
   */
  static final Map<String, Integer> CACHED_AT_MOST =
      Map.of(
          "io.ledgerscale.domain.tailnet.Tailnet", 1,
          "io.ledgerscale.domain.preauthkey.PreAuthKey", 256);

  /**
   * How long a cached aggregate is used before it is loaded again (from its snapshot): what another
   * instance changed is seen by then even by a command that only reads it.
   */
  static final Duration CACHED_AT_MOST_FOR = Duration.ofSeconds(5);

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
    Integer snapshotEvery = SNAPSHOT_EVERY.get(type.getName());
    Integer cachedAtMost = CACHED_AT_MOST.get(type.getName());
    if (cachedAtMost != null) {
      aggregate.configureCache(c -> new BoundedAggregateCache(cachedAtMost, CACHED_AT_MOST_FOR));
    }
    if (snapshotEvery != null) {
      aggregate.configureSnapshotTrigger(
          c -> new EventCountSnapshotTriggerDefinition(snapshotter.getObject(), snapshotEvery));
    }
    return aggregate;
  }
}
