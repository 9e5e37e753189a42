// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.query.FetchPendingRegistrationsQuery;
import io.ledgerscale.domain.api.query.FindPendingRegistrationQuery;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RegistrationExpiredEvent;
import io.ledgerscale.domain.api.registration.RegistrationRejectedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PendingRegistrationProjectionTest {
  private static final Instant EXPIRES = Instant.parse("2026-11-01T10:30:00Z");
  private PendingRegistrationProjection registrations;
  private EventFeed feed;

  @BeforeEach
  void setUp() {
    registrations = new PendingRegistrationProjection(ProjectionDatabase.fresh());
    feed = new EventFeed(registrations);
    for (String id : List.of("a", "b", "c", "d")) {
      feed.publish(
          "registration-lskey-authreq-" + id,
          new RegistrationRequestedEvent(
              "lskey-authreq-" + id,
              "mkey:" + id,
              "nodekey:" + id,
              "host-" + id,
              List.of("tag:x"),
              null,
              EXPIRES));
    }
  }

  @Test
  void canQueueOnlyPendingRequests() {
    feed.publish(
        "registration-lskey-authreq-a", new RegistrationApprovedEvent("lskey-authreq-a", 1, 9));
    feed.publish(
        "registration-lskey-authreq-b",
        new RegistrationRejectedEvent("lskey-authreq-b", "unknown host"));
    feed.publish("registration-lskey-authreq-c", new RegistrationExpiredEvent("lskey-authreq-c"));

    assertThat(registrations.handle(new FetchPendingRegistrationsQuery()))
        .extracting(PendingRegistrationView::authId)
        .containsExactly("lskey-authreq-d");
  }

  @Test
  void canFindOutcomeByAuthId() {
    feed.publish(
        "registration-lskey-authreq-a", new RegistrationApprovedEvent("lskey-authreq-a", 1, 9));
    feed.publish(
        "registration-lskey-authreq-b",
        new RegistrationRejectedEvent("lskey-authreq-b", "unknown host"));

    PendingRegistrationView approved =
        registrations.handle(new FindPendingRegistrationQuery("lskey-authreq-a"));
    assertThat(approved.status()).isEqualTo("APPROVED");
    assertThat(approved.nodeId()).isEqualTo(9L);
    assertThat(approved.userId()).isEqualTo(1L);
    assertThat(approved.hostname()).isEqualTo("host-a");
    assertThat(approved.requestedTags()).containsExactly("tag:x");
    assertThat(approved.expiresAt()).isEqualTo(EXPIRES);
    PendingRegistrationView rejected =
        registrations.handle(new FindPendingRegistrationQuery("lskey-authreq-b"));
    assertThat(rejected.status()).isEqualTo("REJECTED");
    assertThat(rejected.reason()).isEqualTo("unknown host");
    assertThat(registrations.handle(new FindPendingRegistrationQuery("lskey-authreq-zz"))).isNull();
  }
}
