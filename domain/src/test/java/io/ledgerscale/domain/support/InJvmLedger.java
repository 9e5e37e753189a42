// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import io.ledgerscale.domain.DomainConfiguration;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.enrollment.NodeKeyHolders;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policydocument.PolicySource;
import io.ledgerscale.domain.policydocument.TailnetHistory;
import io.ledgerscale.domain.policydocument.TailnetTopology;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;

/**
 * The domain wired as the server wires it ({@link DomainConfiguration}), minus Spring and
 * PostgreSQL: Axon's real configuration, command bus (with {@link RefusalsCommit} and the {@link
 * AuditCorrelation} providers), event-sourcing repositories with their locks, and an in-memory
 * event storage engine.
 */
public final class InJvmLedger implements AutoCloseable {
  public final TestClock clock = new TestClock(Fixtures.NOW);
  private final Configuration configuration;
  private final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine();

  public InJvmLedger() {
    this(new RefusalsCommit());
  }

  /** With another rollback configuration, to show what {@link RefusalsCommit} changes. */
  public InJvmLedger(RollbackConfiguration rollbackConfiguration) {
    this(rollbackConfiguration, PolicySource.DATABASE);
  }

  /**
   * With a policy source (file mode refuses admins' policy changes). The topology a policy is
   * validated against is this ledger's own event store, folded as the history queries fold it.
   */
  public InJvmLedger(RollbackConfiguration rollbackConfiguration, PolicySource policySource) {
    Configurer configurer =
        DefaultConfigurer.defaultConfiguration()
            .configureEmbeddedEventStore(c -> storage)
            .configureCorrelationDataProviders(c -> AuditCorrelation.providers())
            .configureCommandBus(
                c -> {
                  SimpleCommandBus bus =
                      SimpleCommandBus.builder()
                          .transactionManager(NoTransactionManager.INSTANCE)
                          .rollbackConfiguration(rollbackConfiguration)
                          .build();
                  bus.registerHandlerInterceptor(
                      new CorrelationDataInterceptor<>(c.correlationDataProviders()));
                  return bus;
                })
            .registerComponent(Clock.class, c -> clock)
            .registerComponent(PolicySource.class, c -> policySource)
            .registerComponent(TailnetTopology.class, c -> this::topology)
            .registerComponent(NodeKeyHolders.class, c -> (key, proof) -> holderOf(key));
    DomainConfiguration.registerAggregates(configurer);
    DomainConfiguration.registerCommandHandlers(configurer, clock);
    DomainConfiguration.registerEventHandlers(configurer);
    configuration = configurer.start();
  }

  /** The tailnet as this ledger's events say it is now. */
  public TailnetSnapshot topology() {
    TailnetHistory history = new TailnetHistory();
    storage.readEvents(null, false).forEach(m -> history.apply(m.getPayload(), m.getTimestamp()));
    return history.snapshot();
  }

  /** The live node whose current key is {@code nodeKey}, as this ledger's events say. */
  public Optional<Long> holderOf(String nodeKey) {
    Map<Long, String> keys = new HashMap<>();
    storage
        .readEvents(null, false)
        .forEach(
            m -> {
              Object e = m.getPayload();
              if (e instanceof NodeRegisteredEvent r) {
                keys.put(r.nodeId(), r.nodeKey());
              } else if (e instanceof NodeReauthenticatedEvent r) {
                keys.put(r.nodeId(), r.newNodeKey());
              } else if (e instanceof NodeKeyRotatedEvent r) {
                keys.put(r.nodeId(), r.newNodeKey());
              } else if (e instanceof NodeDeletedEvent d) {
                keys.remove(d.nodeId());
              }
            });
    return keys.entrySet().stream()
        .filter(k -> k.getValue().equalsIgnoreCase(nodeKey))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  public CommandGateway commands() {
    return configuration.commandGateway();
  }

  public <R> R send(Object command, MetaData metaData) {
    return configuration.commandGateway().sendAndWait(command, metaData);
  }

  public <R> R send(Object command) {
    return send(command, Fixtures.ALICE_CLI);
  }

  /** Every event of one aggregate's stream, oldest first (empty when the stream does not exist). */
  public List<DomainEventMessage<?>> stream(String aggregateId) {
    return configuration
        .eventStore()
        .readEvents(aggregateId)
        .asStream()
        .collect(Collectors.toList());
  }

  public List<Object> payloads(String aggregateId) {
    return stream(aggregateId).stream()
        .map(DomainEventMessage::getPayload)
        .collect(Collectors.toList());
  }

  /** Every event in the store, in order of commit. */
  public List<Object> allPayloads() {
    return storage
        .readEvents(null, false)
        .map(m -> (Object) m.getPayload())
        .collect(Collectors.toList());
  }

  @Override
  public void close() {
    configuration.shutdown();
  }
}
