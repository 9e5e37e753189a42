// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.query.FindPendingRegistrationQuery;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Who is let in must not depend on how far a read model has come: with the read model a decision
 * used to be read from stopped (as a poison event or a crash would leave it), an acknowledged
 * deletion or expiry is in force at once, a credential the server cannot place is refused with 503
 * and Retry-After (not 401, not let through), and a login is not "unknown" for want of a view.
 */
class FailClosedAuthIT extends RunningServer {
  @Autowired EventProcessingConfiguration processing;
  @Autowired QueryGateway queries;

  @Test
  void shouldRefuseADeletedKeyAtOnceWhileTheApiKeysReadModelIsStopped() {
    String key = newKey();
    assertThat(anonymous().bearer(key).get("/api/v1/user").status()).isEqualTo(200);

    withStopped(
        "api-keys",
        () -> {
          Http.Answer deleted =
              admin().delete("/api/v1/apikey/lskey-api-" + prefixOf(key) + "-***");
          assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);

          Http.Answer refused = anonymous().bearer(key).get("/api/v1/user");

          assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
          assertThat(refused.isProblem()).isTrue();
        });
  }

  @Test
  void shouldRefuseAnExpiredKeyAtOnceWhileTheApiKeysReadModelIsStopped() {
    String key = newKey();

    withStopped(
        "api-keys",
        () -> {
          Http.Answer expired =
              admin().post("/api/v1/apikey/expire", "{\"prefix\":\"" + prefixOf(key) + "\"}");
          assertThat(expired.status()).as(expired.toString()).isEqualTo(200);

          assertThat(anonymous().bearer(key).get("/api/v1/user").status()).isEqualTo(401);
        });
  }

  @Test
  void shouldAskToRetryANewKeyUntilTheApiKeysReadModelHasIt() {
    String[] key = new String[1];
    withStopped(
        "api-keys",
        () -> {
          key[0] = newKey();

          Http.Answer uncheckable = anonymous().bearer(key[0]).get("/api/v1/user");

          assertThat(uncheckable.status()).as(uncheckable.toString()).isEqualTo(503);
          assertThat(uncheckable.isProblem()).isTrue();
          assertThat(uncheckable.headers().firstValue("Retry-After")).isPresent();
        });

    awaitTrue(() -> anonymous().bearer(key[0]).get("/api/v1/user").status() == 200);
  }

  @Test
  void shouldStillRefuseAnUnknownKeyWithTheReadModelsUpToDate() {
    Http.Answer refused =
        anonymous().bearer("lskey-api-zzzzzzzzzzzz-" + "A".repeat(43)).get("/api/v1/user");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
  }

  @Test
  void shouldShowAndApproveALoginWhileThePendingRegistrationsReadModelIsStopped() {
    String user = unique("late-view");
    createUser(user);
    withStopped(
        "pending-registrations",
        () -> {
          String authId =
              commands.sendAndWait(
                  new RequestRegistrationCommand(
                      key("mkey:"), key("nodekey:"), "laptop", List.of(), null),
                  AuditMetadata.of(
                      new Actor(ActorType.NODE, "laptop", "laptop"),
                      Origin.NODE,
                      "127.0.0.1",
                      null));

          Http.Answer page = anonymous().get("/register/" + authId);
          assertThat(page.status()).as(page.toString()).isEqualTo(200);
          assertThat(page.text()).doesNotContain("Unknown registration");

          Http.Answer approved =
              admin().post("/api/v1/node/register?user=" + user + "&key=" + authId, "");
          assertThat(approved.status()).as(approved.toString()).isEqualTo(200);

          PendingRegistrationView after =
              queries
                  .query(
                      new FindPendingRegistrationQuery(authId),
                      ResponseTypes.instanceOf(PendingRegistrationView.class))
                  .join();
          assertThat(after.status()).isEqualTo("APPROVED");
          assertThat(anonymous().get("/register/" + authId).status()).isEqualTo(409);
        });
  }

  /** Runs {@code body} with one projection stopped where it stands, and starts it again. */
  private void withStopped(String processor, Runnable body) {
    StreamingEventProcessor p =
        processing.eventProcessor(processor, StreamingEventProcessor.class).orElseThrow();
    p.shutDown();
    try {
      body.run();
    } finally {
      p.start();
    }
  }

  private String newKey() {
    Http.Answer created =
        admin()
            .post(
                "/api/v1/apikey",
                "{\"expiration\":\"" + Instant.now().plus(1, ChronoUnit.DAYS) + "\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    return created.json().path("apiKey").asText();
  }

  private static String prefixOf(String key) {
    return key.substring("lskey-api-".length(), "lskey-api-".length() + 12);
  }
}
