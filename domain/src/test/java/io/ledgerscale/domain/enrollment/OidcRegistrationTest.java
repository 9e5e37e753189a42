// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.registration.ApproveRegistrationCommand;
import io.ledgerscale.domain.api.registration.RefuseOidcLoginCommand;
import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.support.InJvmLedger;
import java.util.List;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OidcRegistrationTest {
  private static final MetaData ALICE_OIDC =
      AuditMetadata.of(new Actor(ActorType.USER, "1", "alice"), Origin.OIDC, "198.51.100.7", null);

  private final InJvmLedger ledger = new InJvmLedger();
  private String authId;

  @BeforeEach
  void setUp() {
    ledger.send(
        new CreateUserCommand(
            "alice", "Alice", "alice@example.com", null, "oidc", "https://idp.example/sub-1"));
    authId =
        ledger.send(
            new RequestRegistrationCommand("mkey:1", "nodekey:1", "laptop", List.of(), null));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  @Test
  void shouldRegisterWithMethodOidcWhenApprovedThroughTheLoginPage() {
    ledger.send(new ApproveRegistrationCommand(authId, "alice"), ALICE_OIDC);

    assertThat(ledger.payloads(AggregateIds.node(1)))
        .first()
        .isInstanceOfSatisfying(
            NodeRegisteredEvent.class,
            e -> assertThat(e.registerMethod()).isEqualTo(RegisterMethod.OIDC));
    assertThat(ledger.stream(AggregateIds.registration(authId)).get(1).getMetaData())
        .containsEntry(AuditMetadata.ORIGIN, "OIDC")
        .containsEntry(AuditMetadata.ACTOR_TYPE, "USER")
        .containsEntry(AuditMetadata.SOURCE_IP, "198.51.100.7");
    assertThat(ledger.payloads(AggregateIds.registration(authId)))
        .last()
        .isEqualTo(new RegistrationApprovedEvent(authId, 1, 1));
  }

  @Test
  void cannotLoginWhenNotAdmittedAndTheRefusalIsRecordedOnTheRegistration() {
    List<Object> before = ledger.allPayloads();

    assertThatThrownBy(
            () ->
                ledger.send(
                    new RefuseOidcLoginCommand(
                        authId,
                        "https://idp.example/sub-9",
                        "mallory@evil.example",
                        "e-mail domain evil.example is not in allowed_domains")))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage(
            "OIDC login https://idp.example/sub-9 (mallory@evil.example) not admitted: e-mail domain"
                + " evil.example is not in allowed_domains")
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(RefusalKind.NOT_PERMITTED);

    List<Object> after = ledger.allPayloads();
    assertThat(after).hasSize(before.size() + 1);
    assertThat(ledger.payloads(AggregateIds.registration(authId)))
        .last()
        .isInstanceOfSatisfying(
            CommandRefusedEvent.class,
            refusal -> {
              assertThat(refusal.command()).isEqualTo("RefuseOidcLoginCommand");
              assertThat(refusal.targetId()).isEqualTo(authId);
            });
    // still pending: an admin, or an admitted login, can approve it afterwards
    ledger.send(new ApproveRegistrationCommand(authId, "alice"), ALICE_OIDC);
  }

  @Test
  void shouldRecordTheRefusalOnTheTailnetWhenThereIsNoSuchRegistration() {
    assertThatThrownBy(
            () ->
                ledger.send(
                    new RefuseOidcLoginCommand("lskey-authreq-nope", "iss/sub", null, "no")))
        .isInstanceOf(CommandRefusedException.class);
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isInstanceOf(CommandRefusedEvent.class);
  }
}
