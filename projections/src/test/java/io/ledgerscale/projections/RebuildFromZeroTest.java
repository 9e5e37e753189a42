// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyDeletedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyCreatedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyUsedEvent;
import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserDeletedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import io.ledgerscale.projections.apikey.ApiKeyProjection;
import io.ledgerscale.projections.audit.AuditTrailProjection;
import io.ledgerscale.projections.node.NodeProjection;
import io.ledgerscale.projections.policy.PolicyProjection;
import io.ledgerscale.projections.preauthkey.PreAuthKeyProjection;
import io.ledgerscale.projections.registration.PendingRegistrationProjection;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import io.ledgerscale.projections.support.TableDump;
import io.ledgerscale.projections.user.UserProjection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Resetting every projection and replaying the whole stream must give exactly the tables the live
 * run built.
 */
class RebuildFromZeroTest {

  @Test
  void shouldRebuildExactlyTheLiveViews() {
    JdbcTemplate jdbc = ProjectionDatabase.fresh();
    EventFeed feed =
        new EventFeed(
            new UserProjection(jdbc),
            new NodeProjection(jdbc),
            new PreAuthKeyProjection(jdbc),
            new ApiKeyProjection(jdbc),
            new PendingRegistrationProjection(jdbc),
            new PolicyProjection(jdbc),
            new AuditTrailProjection(jdbc));
    Instant expiry = Instant.parse("2027-01-01T00:00:00Z");
    feed.publish("apikey-1", new ApiKeyCreatedEvent(1, "aaaabbbbcccc", "h", expiry));
    feed.publish("apikey-1", new ApiKeyUsedEvent(1, Instant.parse("2026-11-01T11:00:00Z")));
    feed.publish("apikey-2", new ApiKeyCreatedEvent(2, "ddddeeeeffff", "h2", expiry));
    feed.publish("apikey-2", new ApiKeyDeletedEvent(2, "ddddeeeeffff"));
    feed.publish("user-1", new UserCreatedEvent(1, "alice", null, null, null, null, null));
    feed.publish("user-2", new UserCreatedEvent(2, "bob", null, null, null, null, null));
    feed.publish("user-1", new UserRenamedEvent(1, "alice", "alicia"));
    feed.publish(
        "preauthkey-1",
        new PreAuthKeyCreatedEvent(1, "p1", "h", 1L, false, false, expiry, List.of()));
    feed.publish(
        "node-1",
        new NodeRegisteredEvent(
            1,
            "mkey:1",
            "nodekey:1",
            "laptop",
            "laptop",
            1L,
            List.of(),
            "100.64.0.1",
            "fd7a:115c:a1e0::1",
            RegisterMethod.AUTH_KEY,
            1L,
            false,
            expiry));
    feed.publish("preauthkey-1", new PreAuthKeyUsedEvent(1, 1));
    feed.publish("node-1", new NodeRenamedEvent(1, "laptop", "work"));
    feed.publish("node-1", new NodeTagsChangedEvent(1, List.of(), List.of("tag:web"), 1L));
    feed.publish(
        "registration-r1",
        new RegistrationRequestedEvent(
            "r1", "mkey:2", "nodekey:2", "phone", List.of(), null, expiry));
    feed.publish("registration-r1", new RegistrationApprovedEvent("r1", 2, 2));
    feed.publish(
        "node-2",
        new NodeRegisteredEvent(
            2,
            "mkey:2",
            "nodekey:2",
            "phone",
            "phone",
            2L,
            List.of(),
            "100.64.0.2",
            null,
            RegisterMethod.CLI,
            null,
            false,
            null));
    feed.publish("node-2", new NodeDeletedEvent(2, "phone", List.of("100.64.0.2")));
    feed.publish("user-2", new UserDeletedEvent(2, "bob"));
    feed.publish("policy", new PolicyChangedEvent(1, "{}", "s1", null, "+{}"));
    feed.publish(
        "node-1",
        new CommandRefusedEvent(
            "DeleteUserCommand", "user", "1", RefusalKind.CONFLICT, "user owns nodes"));

    Map<String, List<Map<String, Object>>> live = TableDump.of(jdbc);
    feed.reset();
    assertThat(TableDump.of(jdbc).values()).allSatisfy(rows -> assertThat(rows).isEmpty());
    feed.replayAll();
    Map<String, List<Map<String, Object>>> rebuilt = TableDump.of(jdbc);

    assertThat(live.get("audit_entry")).hasSize(19);
    assertThat(live.get("node_view")).hasSize(1);
    assertThat(live.get("user_view")).hasSize(1);
    assertThat(rebuilt).isEqualTo(live);
  }
}
