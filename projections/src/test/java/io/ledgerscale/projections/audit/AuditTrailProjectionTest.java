// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.auditread.AuditTrailReadEvent;
import io.ledgerscale.domain.api.enrollment.ForeignNodeKeyRefusedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyCreatedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyUsedEvent;
import io.ledgerscale.domain.api.query.AuditEntryView;
import io.ledgerscale.domain.api.query.AuditPage;
import io.ledgerscale.domain.api.query.FetchAuditTrailQuery;
import io.ledgerscale.domain.api.sshcheck.SshCheckRequestedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReservedEvent;
import io.ledgerscale.domain.api.tailnet.TailnetStartedEvent;
import io.ledgerscale.domain.api.tailnet.UserReservedEvent;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class AuditTrailProjectionTest {
  private static final Actor ADMIN = new Actor(ActorType.USER, "1", "alice");
  private static final Actor KEY = new Actor(ActorType.API_KEY, "abcdef123456", "ops key");

  /** A domain-internal event the describer has never heard of, with a secret-looking field. */
  record NameReservedEvent(String name, String secretHash) {}

  private JdbcTemplate jdbc;
  private AuditTrailQueries trail;
  private EventFeed feed;

  @BeforeEach
  void setUp() {
    jdbc = ProjectionDatabase.fresh();
    trail = new AuditTrailQueries(jdbc);
    feed = new EventFeed(new AuditTrailProjection(jdbc));
  }

  private AuditPage all() {
    return trail.handle(new FetchAuditTrailQuery(null, null, null, null, null, null, 0, 100));
  }

  @Test
  void canRecordWhoDidWhatToWhatFromWhere() {
    feed.as(KEY, Origin.CLI, "192.0.2.7", "req-42");
    TrackedEventMessage<?> created =
        feed.publish(
            "user-1", new UserCreatedEvent(1, "alice", "Alice", "a@example.com", null, null, null));
    feed.publish("user-1", new UserRenamedEvent(1, "alice", "alicia"));

    AuditPage page = all();
    assertThat(page.total()).isEqualTo(2);
    AuditEntryView first = page.entries().get(1);
    assertThat(first.globalIndex()).isEqualTo(1);
    assertThat(first.eventId()).isEqualTo(created.getIdentifier());
    assertThat(first.timestamp()).isEqualTo(created.getTimestamp());
    assertThat(first.action()).isEqualTo("UserCreatedEvent");
    assertThat(first.actorType()).isEqualTo("API_KEY");
    assertThat(first.actorId()).isEqualTo("abcdef123456");
    assertThat(first.actorName()).isEqualTo("ops key");
    assertThat(first.origin()).isEqualTo("CLI");
    assertThat(first.sourceIp()).isEqualTo("192.0.2.7");
    assertThat(first.correlationId()).isEqualTo("req-42");
    assertThat(first.targetType()).isEqualTo("user");
    assertThat(first.targetId()).isEqualTo("1");
    assertThat(first.newValues())
        .containsEntry("name", "alice")
        .containsEntry("email", "a@example.com");
    assertThat(first.summary()).isEqualTo("created user alice");
    AuditEntryView rename = page.entries().get(0);
    assertThat(rename.oldValues()).containsEntry("name", "alice");
    assertThat(rename.newValues()).containsEntry("name", "alicia");
  }

  @Test
  void shouldKeepSecretHashesOutOfTheTrail() {
    feed.publish("apikey-1", new ApiKeyCreatedEvent(1, "aaaabbbbcccc", "HASH-API", null));
    feed.publish(
        "preauthkey-1",
        new PreAuthKeyCreatedEvent(
            1, "k1prefix0001", "HASH-PAK", 1L, false, false, null, List.of()));
    feed.publish("tailnet", new NameReservedEvent("laptop", "HASH-INTERNAL"));

    String everything =
        String.join(
            "\n", jdbc.queryForList("SELECT audit_entry::text FROM audit_entry", String.class));
    assertThat(everything)
        .contains("aaaabbbbcccc", "k1prefix0001", "laptop")
        .doesNotContain("HASH-");
  }

  @Test
  void shouldDescribeUnknownEventsFromTheirAggregate() {
    feed.publish("node-12", new NameReservedEvent("laptop", "x"));

    AuditEntryView entry = all().entries().get(0);
    assertThat(entry.action()).isEqualTo("NameReservedEvent");
    assertThat(entry.targetType()).isEqualTo("node");
    assertThat(entry.targetId()).isEqualTo("12");
    assertThat(entry.newValues()).containsEntry("name", "laptop").doesNotContainKey("secretHash");
  }

  @Test
  void shouldRecordRefusalsWithTheirReason() {
    feed.as(ADMIN, Origin.REST, "198.51.100.1", "req-7");
    feed.publish(
        "node-3",
        new CommandRefusedEvent(
            "SetNodeTagsCommand",
            "node",
            "3",
            RefusalKind.NOT_PERMITTED,
            "tag:prod is not owned by alice"));

    AuditEntryView entry = all().entries().get(0);
    assertThat(entry.action()).isEqualTo("CommandRefusedEvent");
    assertThat(entry.targetType()).isEqualTo("node");
    assertThat(entry.targetId()).isEqualTo("3");
    assertThat(entry.newValues()).containsEntry("kind", "NOT_PERMITTED");
    assertThat(entry.summary())
        .isEqualTo(
            "refused to set node tags (node 3), not permitted: tag:prod is not owned by alice");
  }

  @Test
  void shouldRecordAForeignNodeKeyRefusalWithWhoTriedFromWhere() {
    feed.as(
        new Actor(ActorType.NODE, "mkey:bb22", "intruder"), Origin.NODE, "203.0.113.9", "corr-1");
    for (int i = 0; i < 3; i++) {
      feed.publish(
          "node-4",
          new ForeignNodeKeyRefusedEvent(
              4, "EnrollNodeCommand", "node key belongs to another machine"));
    }

    AuditPage page = all();
    assertThat(page.entries()).hasSize(1);
    AuditEntryView entry = page.entries().get(0);
    assertThat(entry.count()).isEqualTo(3);
    assertThat(entry.action()).isEqualTo("ForeignNodeKeyRefusedEvent");
    assertThat(entry.actorId()).isEqualTo("mkey:bb22");
    assertThat(entry.origin()).isEqualTo("NODE");
    assertThat(entry.sourceIp()).isEqualTo("203.0.113.9");
    assertThat(entry.correlationId()).isEqualTo("corr-1");
    assertThat(entry.targetType()).isEqualTo("node");
    assertThat(entry.targetId()).isEqualTo("4");
    assertThat(entry.newValues()).containsEntry("kind", "CREDENTIAL_REJECTED");
    assertThat(entry.summary())
        .startsWith(
            "refused to enroll node with the node key of node 4:"
                + " node key belongs to another machine");
  }

  /** A client retrying a refused keyless login: tailscaled sent it 12 times in 11 minutes. */
  private void refusedLoginRetries(int times) {
    feed.as(new Actor(ActorType.NODE, "mkey:aa11", "laptop"), Origin.NODE, "203.0.113.9", null);
    for (int i = 0; i < times; i++) {
      feed.publish(
          "tailnet",
          new CommandRefusedEvent(
              "RequestRegistrationCommand",
              "Registration",
              null,
              RefusalKind.INVALID,
              "invalid tag 'tag:Bad!': tags look like tag:name"));
    }
  }

  @Test
  void shouldListAClientsRepeatedRefusalOnceWithItsCount() {
    refusedLoginRetries(12);

    AuditPage page = all();
    // one entry per ten minutes of retries (the feed spaces events a minute apart): 10 + 2
    assertThat(page.entries()).extracting(AuditEntryView::count).containsExactly(2, 10);
    AuditEntryView first = page.entries().get(1);
    assertThat(first.summary())
        .startsWith("refused to request registration, the request was invalid: invalid tag")
        .contains("(10 times, the last at ");
    assertThat(first.lastTimestamp()).isEqualTo(first.timestamp().plusSeconds(9 * 60));
    assertThat(first.foldedIndexes()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(page.entries().get(0).foldedIndexes()).containsExactly(11L, 12L);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_entry", Long.class)).isEqualTo(2);
  }

  @Test
  void shouldKeepRefusalsFromAnotherClientOrForAnotherReasonApart() {
    refusedLoginRetries(2);
    feed.as(new Actor(ActorType.NODE, "mkey:bb22", "phone"), Origin.NODE, "203.0.113.10", null);
    feed.publish(
        "tailnet",
        new CommandRefusedEvent(
            "RequestRegistrationCommand",
            "Registration",
            null,
            RefusalKind.INVALID,
            "invalid tag 'tag:Bad!': tags look like tag:name"));
    feed.publish(
        "tailnet",
        new CommandRefusedEvent(
            "RequestRegistrationCommand", "Registration", null, RefusalKind.INVALID, "other"));

    assertThat(all().entries()).extracting(AuditEntryView::count).containsExactly(1, 1, 2);
  }

  @Test
  void shouldCountARedeliveredRefusalOnceAndReplayToTheSameTrail() {
    refusedLoginRetries(3);
    jdbc.update("UPDATE audit_entry SET summary = summary"); // nothing but a touch
    feed.replayAll();
    assertThat(all().entries()).extracting(AuditEntryView::count).containsExactly(3);

    feed.reset();
    feed.replayAll();
    assertThat(all().entries()).extracting(AuditEntryView::count).containsExactly(3);
  }

  @Test
  void shouldListEachRefusalWhenFoldingIsOff() {
    feed = new EventFeed(new AuditTrailProjection(jdbc, new RepeatFolding(Duration.ZERO, 1)));
    refusedLoginRetries(12);

    assertThat(all().total()).isEqualTo(12);
  }

  @Test
  void shouldFoldAFollowersRepeatedReadsButKeepOtherQueriesApart() {
    feed.as(ADMIN, Origin.CLI, "198.51.100.1", null);
    for (int i = 0; i < 5; i++) {
      feed.publish(
          "auditread-r" + i, new AuditTrailReadEvent("r" + i, "list", "page=0 size=100", 100));
    }
    feed.publish(
        "auditread-x", new AuditTrailReadEvent("x", "list", "actor=bob page=0 size=50", 3));

    AuditPage page = all();
    assertThat(page.entries()).extracting(AuditEntryView::count).containsExactly(1, 5);
    assertThat(page.entries().get(1).summary())
        .startsWith("read the audit trail (list page=0 size=100): 100 record(s) (5 times");
    assertThat(page.entries().get(0).actorName()).isEqualTo("alice");
  }

  @Test
  void shouldHideBookkeepingFromTheDefaultListingButNeverDropIt() {
    feed.publish(
        "node-4",
        new NodeRegisteredEvent(
            4,
            "mkey:aa",
            "nodekey:bb",
            "laptop",
            "laptop",
            1L,
            List.of(),
            "100.64.0.4",
            "fd7a::4",
            RegisterMethod.AUTH_KEY,
            2L,
            false,
            null));
    feed.publish(
        "tailnet", new NodeReservedEvent(4, "mkey:aa", "laptop", 1L, "100.64.0.4", "fd7a::4"));
    feed.publish("preauthkey-2", new PreAuthKeyUsedEvent(2, 4));

    assertThat(all().entries())
        .extracting(AuditEntryView::action)
        .containsExactly("NodeRegisteredEvent");
    AuditPage everything =
        trail.handle(new FetchAuditTrailQuery(null, null, null, null, null, null, 0, 100, true));
    assertThat(everything.entries())
        .extracting(AuditEntryView::action, AuditEntryView::bookkeeping)
        .containsExactly(
            tuple("PreAuthKeyUsedEvent", true),
            tuple("NodeReservedEvent", true),
            tuple("NodeRegisteredEvent", false));
    assertThat(everything.entries().get(1).summary())
        .isEqualTo("reserved the name laptop and addresses 100.64.0.4, fd7a::4 for node 4");
  }

  @Test
  void shouldNameEveryKnownEventInWordsNotItsClassName() {
    feed.publish("tailnet", new TailnetStartedEvent("100.64.0.0/10", "fd7a:115c:a1e0::/48"));
    feed.publish("tailnet", new UserReservedEvent(1, "alice"));
    feed.publish(
        "sshcheck-c1",
        new SshCheckRequestedEvent("c1", 1, 2, 1, "alice", "root", feed.now().plusSeconds(600)));

    AuditPage everything =
        trail.handle(new FetchAuditTrailQuery(null, null, null, null, null, null, 0, 100, true));
    assertThat(everything.entries())
        .extracting(AuditEntryView::summary)
        .allSatisfy(summary -> assertThat(summary).doesNotContain("Event"))
        .containsExactly(
            "SSH from node 1 to root on node 2 waits for user 1 to authenticate",
            "reserved the user name alice for user 1",
            "started the tailnet with ranges 100.64.0.0/10 and fd7a:115c:a1e0::/48");
  }

  @Test
  void shouldWriteOneRowWhenAnEventIsDeliveredTwice() {
    TrackedEventMessage<?> created =
        feed.publish("user-1", new UserCreatedEvent(1, "alice", null, null, null, null, null));
    feed.deliver(created);

    assertThat(all().total()).isEqualTo(1);
  }

  @Test
  void shouldKeepAnEventThatCommittedAfterALaterOne() {
    // Two transactions: the one holding global index 5 commits after the one holding 6. The
    // processor sees 6
    // first; when 5 arrives it fills the gap, and its gap-aware token reports position 6, not 5.
    TrackedEventMessage<?> late =
        tracked("user-7", new UserCreatedEvent(7, "late", null, null, null, null, null));
    TrackedEventMessage<?> early =
        tracked("user-8", new UserCreatedEvent(8, "early", null, null, null, null, null));
    store(5, late);
    store(6, early);

    feed.deliver(withToken(early, GapAwareTrackingToken.newInstance(6, List.of(5L))));
    feed.deliver(withToken(late, GapAwareTrackingToken.newInstance(6, List.of())));

    assertThat(all().entries()).extracting(AuditEntryView::globalIndex).containsExactly(6L, 5L);
    assertThat(all().entries()).extracting(AuditEntryView::targetId).containsExactly("8", "7");
  }

  private static TrackedEventMessage<?> tracked(String aggregateId, Object payload) {
    return new GenericTrackedDomainEventMessage<>(
        new GlobalSequenceTrackingToken(0),
        new GenericDomainEventMessage<>("User", aggregateId, 0, payload));
  }

  private static TrackedEventMessage<?> withToken(
      TrackedEventMessage<?> message, TrackingToken token) {
    return message.withTrackingToken(token);
  }

  /**
   * The row the JDBC event store wrote for this event (only what the trail reads from it matters).
   */
  private void store(long globalIndex, TrackedEventMessage<?> message) {
    jdbc.update(
        "INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, type,"
            + " eventidentifier, payload, payloadtype, timestamp) VALUES (?, ?, 0, 'User', ?, ?, ?, ?)",
        globalIndex,
        "stored-" + globalIndex,
        message.getIdentifier(),
        new byte[] {'{', '}'},
        message.getPayloadType().getName(),
        message.getTimestamp().toString());
  }

  @Test
  void canFilterByActorTargetActionAndTimeWithPaging() {
    feed.as(ADMIN, Origin.REST, "", "r1");
    for (int i = 1; i <= 5; i++) {
      feed.publish("user-" + i, new UserCreatedEvent(i, "user" + i, null, null, null, null, null));
    }
    Instant afterFifth = feed.now();
    feed.as(KEY, Origin.CLI, "", "r2");
    feed.publish("user-2", new UserRenamedEvent(2, "user2", "second"));
    feed.publish("user-3", new UserRenamedEvent(3, "user3", "third"));

    assertThat(
            trail
                .handle(new FetchAuditTrailQuery("alice", null, null, null, null, null, 0, 10))
                .total())
        .isEqualTo(5);
    assertThat(
            trail
                .handle(
                    new FetchAuditTrailQuery("abcdef123456", null, null, null, null, null, 0, 10))
                .total())
        .isEqualTo(2);
    assertThat(
            trail
                .handle(new FetchAuditTrailQuery(null, "user", "2", null, null, null, 0, 10))
                .entries())
        .extracting(AuditEntryView::action)
        .containsExactly("UserRenamedEvent", "UserCreatedEvent");
    assertThat(
            trail
                .handle(
                    new FetchAuditTrailQuery(null, null, null, "UserRenamed", null, null, 0, 10))
                .total())
        .isEqualTo(2);
    assertThat(
            trail
                .handle(new FetchAuditTrailQuery(null, null, null, null, afterFifth, null, 0, 10))
                .total())
        .isEqualTo(3);
    assertThat(
            trail
                .handle(new FetchAuditTrailQuery(null, null, null, null, null, afterFifth, 0, 10))
                .total())
        .isEqualTo(4);

    AuditPage second =
        trail.handle(new FetchAuditTrailQuery(null, null, null, null, null, null, 1, 3));
    assertThat(second.total()).isEqualTo(7);
    assertThat(second.page()).isEqualTo(1);
    assertThat(second.size()).isEqualTo(3);
    assertThat(second.entries())
        .extracting(AuditEntryView::globalIndex)
        .containsExactly(4L, 3L, 2L);
  }
}
