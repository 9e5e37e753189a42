// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyUsedEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Pre-auth keys are cached and snapshotted, because a reusable key records every registration made
 * with it. What must hold: its uses are not replayed on every registration, and a key this instance
 * holds in its cache is never trusted over what another instance has recorded since.
 */
class CachedPreAuthKeyIT extends RunningServer {
  @Autowired private JdbcTemplate jdbc;
  @Autowired private EventStore events;

  @Test
  void aReusableKeyWithManyUsesIsSnapshottedAndStillRedeemable() throws Exception {
    JsonNode user = createUser(unique("fleet"));
    JsonNode key = createKey(user, true);
    String aggregate = AggregateIds.preAuthKey(key.path("id").asLong());

    List<Object> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        String host = "fleet-" + i;
        futures.add(pool.submit(() -> register(key.path("key").asText(), host)));
      }
      for (Future<Object> f : futures) {
        outcomes.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(NodeRegistration.class));
    Set<String> addresses = new HashSet<>();
    for (Object o : outcomes) {
      assertThat(addresses.add(((NodeRegistration) o).ipv4())).isTrue();
    }
    awaitTrue(
        () ->
            jdbc.queryForObject(
                    "SELECT count(*) FROM snapshotevententry WHERE aggregateidentifier = ?",
                    Long.class,
                    aggregate)
                > 0);
    // the cache holds aggregates weakly: after a collection the key is loaded from its snapshot
    System.gc();
    assertThat(register(key.path("key").asText(), "after-snapshot"))
        .isInstanceOf(NodeRegistration.class);
  }

  @Test
  void aSingleUseKeyUsedOnAnotherInstanceIsRefusedThoughThisOneCachedItUnused() {
    JsonNode user = createUser(unique("stale"));
    JsonNode key = createKey(user, false);
    String text = key.path("key").asText();
    String aggregate = AggregateIds.preAuthKey(key.path("id").asLong());

    // a wrong secret is refused on the key's own stream, which leaves the (unused) key in the cache
    // "lskey-auth-<12-char prefix>-": the secret is base64url and may hold a '-' of its own
    String wrongSecret = text.substring(0, "lskey-auth-".length() + 13) + "A".repeat(43);
    assertThat(register(wrongSecret, "guess")).isInstanceOf(RuntimeException.class);

    // another instance on the same database redeems the key: its use lands after what we cached
    long next = events.lastSequenceNumberFor(aggregate).orElseThrow() + 1;
    events.publish(
        new GenericDomainEventMessage<>(
            "PreAuthKey",
            aggregate,
            next,
            new PreAuthKeyUsedEvent(key.path("id").asLong(), 999_999L)));

    Object outcome = register(text, "late");
    assertThat(outcome)
        .as("a registration with a key another instance used up")
        .isInstanceOf(RuntimeException.class);
    assertThat(((RuntimeException) outcome).getMessage()).contains("already used");
  }

  private JsonNode createKey(JsonNode user, boolean reusable) {
    Http.Answer created =
        admin()
            .post(
                "/api/v1/preauthkey",
                "{\"user\":\"" + user.path("id").asText() + "\",\"reusable\":" + reusable + "}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    return created.json().path("preAuthKey");
  }

  private Object register(String preAuthKey, String hostname) {
    try {
      return commands.sendAndWait(
          new RegisterNodeWithPreAuthKeyCommand(
              key("mkey:"), key("nodekey:"), hostname, List.of(), preAuthKey, null),
          AuditMetadata.of(
              new Actor(ActorType.NODE, hostname, hostname), Origin.NODE, "127.0.0.1", null));
    } catch (RuntimeException refused) {
      return refused;
    }
  }
}
