// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.test.aggregate.AggregateTestFixture;

/**
 * Shared set-up for aggregate fixtures: the production correlation providers, refusal commits and a
 * fixed clock.
 */
public final class Fixtures {
  public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  public static final MetaData ALICE_CLI =
      AuditMetadata.of(
          new Actor(ActorType.USER, "1", "alice"), Origin.CLI, "192.0.2.10", "corr-alice");

  private Fixtures() {}

  public static <T> AggregateTestFixture<T> fixture(Class<T> aggregateType) {
    AggregateTestFixture<T> fixture = new AggregateTestFixture<>(aggregateType);
    fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    fixture.registerCommandHandlerInterceptor(
        new CorrelationDataInterceptor<>(AuditCorrelation.providers()));
    fixture.registerCommandHandlerInterceptor(
        new CommitWhereRollbackConfigurationSays(new RefusalsCommit()));
    return fixture;
  }

  /**
   * The fixture builds its own command bus, whose rollback configuration cannot be replaced. This
   * interceptor applies the given rollback configuration instead: an exception it would not roll
   * back on is handed back as the command's exceptional result, so the fixture's unit of work
   * commits, exactly as the production bus does with {@link RefusalsCommit} (which the in-JVM Axon
   * tests use directly).
   */
  static final class CommitWhereRollbackConfigurationSays
      implements MessageHandlerInterceptor<CommandMessage<?>> {
    private final RollbackConfiguration rollbackConfiguration;

    CommitWhereRollbackConfigurationSays(RollbackConfiguration rollbackConfiguration) {
      this.rollbackConfiguration = rollbackConfiguration;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
        throws Exception {
      try {
        return chain.proceed();
      } catch (Exception e) {
        if (rollbackConfiguration.rollBackOn(e)) {
          throw e;
        }
        return GenericCommandResultMessage.asCommandResultMessage(e);
      }
    }
  }
}
