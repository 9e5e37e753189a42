// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import io.ledgerscale.domain.apikey.ApiKey;
import io.ledgerscale.domain.apikey.ApiKeyCommandHandler;
import io.ledgerscale.domain.node.Node;
import io.ledgerscale.domain.node.NodeAdministration;
import io.ledgerscale.domain.node.NodeRegistrar;
import io.ledgerscale.domain.policydocument.PolicyDocument;
import io.ledgerscale.domain.preauthkey.PreAuthKey;
import io.ledgerscale.domain.preauthkey.PreAuthKeyIssuer;
import io.ledgerscale.domain.registration.RegistrationCommandHandler;
import io.ledgerscale.domain.registration.RegistrationRequest;
import io.ledgerscale.domain.tailnet.Tailnet;
import io.ledgerscale.domain.user.User;
import io.ledgerscale.domain.user.UserCommandHandler;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;

/**
 * The domain wired as the server wires it, minus Spring and PostgreSQL: Axon's real configuration, command bus
 * (with {@link RefusalsCommit} and the {@link AuditCorrelation} providers), event-sourcing repositories with their
 * locks, and an in-memory event storage engine.
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
    configuration = DefaultConfigurer.defaultConfiguration()
        .configureEmbeddedEventStore(c -> storage)
        .configureCorrelationDataProviders(c -> AuditCorrelation.providers())
        .configureCommandBus(c -> {
          SimpleCommandBus bus = SimpleCommandBus.builder()
              .transactionManager(NoTransactionManager.INSTANCE)
              .rollbackConfiguration(rollbackConfiguration)
              .build();
          bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(c.correlationDataProviders()));
          return bus;
        })
        .registerComponent(Clock.class, c -> clock)
        .configureAggregate(Tailnet.class)
        .configureAggregate(User.class)
        .configureAggregate(Node.class)
        .configureAggregate(PreAuthKey.class)
        .configureAggregate(ApiKey.class)
        .configureAggregate(RegistrationRequest.class)
        .configureAggregate(PolicyDocument.class)
        .registerCommandHandler(c -> new UserCommandHandler(c.repository(Tailnet.class), c.repository(User.class)))
        .registerCommandHandler(c -> new PreAuthKeyIssuer(c.repository(Tailnet.class),
            c.repository(PreAuthKey.class), c.getComponent(Clock.class)))
        .registerCommandHandler(c -> new ApiKeyCommandHandler(c.repository(Tailnet.class),
            c.repository(ApiKey.class), c.getComponent(Clock.class)))
        .registerCommandHandler(c -> new NodeRegistrar(c.repository(Tailnet.class), c.repository(PreAuthKey.class),
            c.repository(Node.class), c.repository(User.class), c.repository(PolicyDocument.class),
            c.getComponent(Clock.class)))
        .registerCommandHandler(c -> new NodeAdministration(c.repository(Tailnet.class), c.repository(Node.class),
            c.repository(User.class), c.repository(PolicyDocument.class)))
        .registerCommandHandler(c -> new RegistrationCommandHandler(c.repository(Tailnet.class),
            c.repository(RegistrationRequest.class), c.repository(Node.class), c.repository(User.class),
            c.repository(PolicyDocument.class), c.getComponent(Clock.class)))
        .start();
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
    return configuration.eventStore().readEvents(aggregateId).asStream().collect(Collectors.toList());
  }

  public List<Object> payloads(String aggregateId) {
    return stream(aggregateId).stream().map(DomainEventMessage::getPayload).collect(Collectors.toList());
  }

  /** Every event in the store, in order of commit. */
  public List<Object> allPayloads() {
    return storage.readEvents(null, false).map(m -> (Object) m.getPayload()).collect(Collectors.toList());
  }

  @Override
  public void close() {
    configuration.shutdown();
  }
}
