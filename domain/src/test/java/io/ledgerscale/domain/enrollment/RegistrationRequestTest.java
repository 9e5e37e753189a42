// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import static io.ledgerscale.domain.support.Fixtures.ALICE_CLI;
import static io.ledgerscale.domain.support.Fixtures.NOW;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.registration.ExpireRegistrationCommand;
import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RegistrationExpiredEvent;
import io.ledgerscale.domain.api.registration.RegistrationRejectedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.ledgerscale.domain.api.registration.RejectRegistrationCommand;
import io.ledgerscale.domain.support.AuditMatchers;
import io.ledgerscale.domain.support.Fixtures;
import java.util.List;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistrationRequestTest {
  private static final String AUTH_ID = "lskey-authreq-abcdefghijklmnopqrstuvwx";
  private static final RegistrationRequestedEvent REQUESTED =
      new RegistrationRequestedEvent(
          AUTH_ID, "mkey:1", "nodekey:1", "laptop", List.of(), null, NOW.plusSeconds(900));
  private static final MetaData SCHEDULER =
      AuditMetadata.system(Origin.SCHEDULER, "registration-expiry");

  private AggregateTestFixture<RegistrationRequest> fixture;

  @BeforeEach
  void setUp() {
    fixture = Fixtures.fixture(RegistrationRequest.class);
  }

  @Test
  void canRejectAPendingRequest() {
    fixture
        .given(REQUESTED)
        .when(new RejectRegistrationCommand(AUTH_ID, "unknown device"), ALICE_CLI)
        .expectEvents(new RegistrationRejectedEvent(AUTH_ID, "unknown device"))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void canExpireAPendingRequest() {
    fixture
        .given(REQUESTED)
        .when(new ExpireRegistrationCommand(AUTH_ID), SCHEDULER)
        .expectEvents(new RegistrationExpiredEvent(AUTH_ID))
        .expectEventsMatching(AuditMatchers.allCarry(SCHEDULER));
  }

  @Test
  void cannotRejectAnApprovedRequest() {
    fixture
        .given(REQUESTED, new RegistrationApprovedEvent(AUTH_ID, 1, 1))
        .when(new RejectRegistrationCommand(AUTH_ID, "too late"), ALICE_CLI)
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "RejectRegistrationCommand",
                "Registration",
                AUTH_ID,
                RefusalKind.CONFLICT,
                "registration request is approved, not pending"))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void cannotRejectARejectedRequest() {
    fixture
        .given(REQUESTED, new RegistrationRejectedEvent(AUTH_ID, "no"))
        .when(new RejectRegistrationCommand(AUTH_ID, "no again"))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "RejectRegistrationCommand",
                "Registration",
                AUTH_ID,
                RefusalKind.CONFLICT,
                "registration request is rejected, not pending"));
  }

  @Test
  void cannotExpireAnExpiredRequest() {
    fixture
        .given(REQUESTED, new RegistrationExpiredEvent(AUTH_ID))
        .when(new ExpireRegistrationCommand(AUTH_ID))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "ExpireRegistrationCommand",
                "Registration",
                AUTH_ID,
                RefusalKind.CONFLICT,
                "registration request is expired, not pending"));
  }
}
