// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.registration.RegistrationExpiredEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;

class RegistrationMetricsTest {
  private final SimpleEventBus bus = SimpleEventBus.builder().build();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  RegistrationMetricsTest() {
    new RegistrationMetrics(bus).bindTo(registry);
  }

  private double count(String method, String outcome) {
    return registry
        .get(RegistrationMetrics.NAME)
        .tag("method", method)
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  @Test
  void shouldCountEachRegistrationEventUnderItsMethodAndOutcome() {
    bus.publish(
        registered(RegisterMethod.AUTH_KEY),
        registered(RegisterMethod.OIDC),
        registered(RegisterMethod.CLI),
        GenericEventMessage.asEventMessage(
            new RegistrationRequestedEvent("a", "mkey:x", "nodekey:y", "h", List.of(), null, null)),
        GenericEventMessage.asEventMessage(new RegistrationExpiredEvent("a")),
        refused("RegisterNodeWithPreAuthKeyCommand", Origin.NODE),
        refused("ApproveRegistrationCommand", Origin.OIDC),
        refused("ApproveRegistrationCommand", Origin.REST),
        refused("RenameNodeCommand", Origin.REST),
        GenericEventMessage.asEventMessage(
            new UserCreatedEvent(1, "u", null, null, null, null, null)));

    assertThat(count("preauthkey", "accepted")).isEqualTo(1);
    assertThat(count("oidc", "accepted")).isEqualTo(1);
    assertThat(count("cli", "accepted")).isEqualTo(1);
    assertThat(count("interactive", "pending")).isEqualTo(1);
    assertThat(count("interactive", "expired")).isEqualTo(1);
    assertThat(count("preauthkey", "refused")).isEqualTo(1);
    assertThat(count("oidc", "refused")).isEqualTo(1);
    assertThat(count("cli", "refused")).isEqualTo(1);
    assertThat(
            registry.get(RegistrationMetrics.NAME).counters().stream()
                .mapToDouble(c -> c.count())
                .sum())
        .as("the rename and the new user are no registrations")
        .isEqualTo(8);
  }

  @Test
  void shouldCountOnlyWhatWasCommitted() {
    DefaultUnitOfWork<?> rolledBack = DefaultUnitOfWork.startAndGet(null);
    bus.publish(registered(RegisterMethod.AUTH_KEY));
    rolledBack.rollback();
    assertThat(count("preauthkey", "accepted")).isZero();

    DefaultUnitOfWork<?> committed = DefaultUnitOfWork.startAndGet(null);
    bus.publish(registered(RegisterMethod.AUTH_KEY));
    assertThat(count("preauthkey", "accepted")).as("not before the commit").isZero();
    committed.commit();
    assertThat(count("preauthkey", "accepted")).isEqualTo(1);
  }

  private static EventMessage<?> registered(RegisterMethod method) {
    return GenericEventMessage.asEventMessage(
        new NodeRegisteredEvent(
            1,
            "mkey:x",
            "nodekey:y",
            "h",
            "h",
            1L,
            List.of(),
            null,
            null,
            method,
            null,
            false,
            null));
  }

  private static EventMessage<?> refused(String command, Origin origin) {
    return GenericEventMessage.asEventMessage(
            new CommandRefusedEvent(
                command, "Registration", "a", RefusalKind.CONFLICT, "no longer pending"))
        .andMetaData(Map.of(AuditMetadata.ORIGIN, origin.name()));
  }
}
