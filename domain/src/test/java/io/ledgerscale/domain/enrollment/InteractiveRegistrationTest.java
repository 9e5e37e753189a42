// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.registration.ApproveRegistrationCommand;
import io.ledgerscale.domain.api.registration.ExpireRegistrationCommand;
import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.ledgerscale.domain.api.registration.RejectRegistrationCommand;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.support.Fixtures;
import io.ledgerscale.domain.support.InJvmLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InteractiveRegistrationTest {
  private static final String POLICY = "{\"tagOwners\": {\"tag:server\": [\"alice@\"]}}";
  private static final Instant REQUESTED_EXPIRY = Instant.parse("2027-02-01T00:00:00Z");

  private final InJvmLedger ledger = new InJvmLedger();

  @BeforeEach
  void setUp() {
    ledger.send(new CreateUserCommand("alice", null, null, null, null, null));
    ledger.send(new CreateUserCommand("bob", null, null, null, null, null));
    ledger.send(new SetPolicyCommand(POLICY));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private String request(String machine, List<String> tags) {
    return ledger.send(
        new RequestRegistrationCommand(
            "mkey:" + machine, "nodekey:" + machine, "Laptop", tags, REQUESTED_EXPIRY));
  }

  @Test
  void canRequestARegistrationThatWaitsFifteenMinutes() {
    String authId = request("1", List.of());

    assertThat(authId).matches("lskey-authreq-[A-Za-z0-9_-]{24}");
    assertThat(ledger.payloads(AggregateIds.registration(authId)))
        .containsExactly(
            new RegistrationRequestedEvent(
                authId,
                "mkey:1",
                "nodekey:1",
                "Laptop",
                List.of(),
                REQUESTED_EXPIRY,
                Fixtures.NOW.plusSeconds(900)));
  }

  @Test
  void cannotRequestWithoutKeysOrWithMalformedTags() {
    assertThatThrownBy(
            () -> ledger.send(new RequestRegistrationCommand("", "nodekey:1", "x", null, null)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("a registration needs a machine key and a node key");
    assertThatThrownBy(
            () ->
                ledger.send(
                    new RequestRegistrationCommand(
                        "mkey:1", "nodekey:1", "x", List.of("server"), null)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("invalid tag 'server': tags look like tag:name");
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .filteredOn(CommandRefusedEvent.class::isInstance)
        .hasSize(2);
  }

  @Test
  void canApproveARequestForAUserByName() {
    String authId = request("1", List.of());

    NodeRegistration node =
        ledger.send(new ApproveRegistrationCommand(authId, "alice"), Fixtures.ALICE_CLI);

    assertThat(node)
        .isEqualTo(
            new NodeRegistration(1, 1L, List.of(), "100.64.0.1", "fd7a:115c:a1e0::1", "laptop"));
    assertThat(ledger.payloads(AggregateIds.node(1)))
        .containsExactly(
            new NodeRegisteredEvent(
                1,
                "mkey:1",
                "nodekey:1",
                "Laptop",
                "laptop",
                1L,
                List.of(),
                "100.64.0.1",
                "fd7a:115c:a1e0::1",
                RegisterMethod.CLI,
                null,
                false,
                REQUESTED_EXPIRY));
    assertThat(ledger.payloads(AggregateIds.registration(authId)))
        .last()
        .isEqualTo(new RegistrationApprovedEvent(authId, 1, 1));
    assertThat(ledger.stream(AggregateIds.node(1)).get(0).getMetaData().get(AuditMetadata.ORIGIN))
        .isEqualTo("CLI");
  }

  @Test
  void canApproveARequestForAUserById() {
    String authId = request("1", List.of());

    NodeRegistration node = ledger.send(new ApproveRegistrationCommand(authId, "2"));

    assertThat(node.userId()).isEqualTo(2L);
  }

  @Test
  void canApproveATaggedRequestWhenTheApprovingUserOwnsTheTags() {
    String authId = request("1", List.of("tag:server"));

    NodeRegistration node = ledger.send(new ApproveRegistrationCommand(authId, "alice"));

    assertThat(node.userId()).isNull();
    assertThat(node.tags()).containsExactly("tag:server");
    assertThat(ledger.payloads(AggregateIds.registration(authId)))
        .last()
        .isEqualTo(new RegistrationApprovedEvent(authId, 1, 1));
  }

  @Test
  void cannotApproveATaggedRequestForAUserWhoDoesNotOwnTheTags() {
    String authId = request("1", List.of("tag:server"));

    assertOnlyRefusal(
        new ApproveRegistrationCommand(authId, "bob"),
        AggregateIds.registration(authId),
        RefusalKind.NOT_PERMITTED,
        "user bob does not own tag:server per the policy's tagOwners");
    // still pending: alice may approve it
    assertThat((NodeRegistration) ledger.send(new ApproveRegistrationCommand(authId, "alice")))
        .isNotNull();
  }

  @Test
  void cannotApproveForAnUnknownUser() {
    String authId = request("1", List.of());

    assertOnlyRefusal(
        new ApproveRegistrationCommand(authId, "mallory"),
        AggregateIds.TAILNET,
        RefusalKind.NOT_FOUND,
        "no user named or numbered mallory");
  }

  @Test
  void cannotApproveAnUnknownRequest() {
    assertOnlyRefusal(
        new ApproveRegistrationCommand("lskey-authreq-nope", "alice"),
        AggregateIds.TAILNET,
        RefusalKind.NOT_FOUND,
        "no registration request lskey-authreq-nope");
  }

  @Test
  void cannotApproveAnApprovedRejectedOrExpiredRequest() {
    String approved = request("1", List.of());
    ledger.send(new ApproveRegistrationCommand(approved, "alice"));
    String rejected = request("2", List.of());
    ledger.send(new RejectRegistrationCommand(rejected, "not ours"));
    String expired = request("3", List.of());
    ledger.send(new ExpireRegistrationCommand(expired));

    assertOnlyRefusal(
        new ApproveRegistrationCommand(approved, "alice"),
        AggregateIds.registration(approved),
        RefusalKind.CONFLICT,
        "registration request is approved, not pending");
    assertOnlyRefusal(
        new ApproveRegistrationCommand(rejected, "alice"),
        AggregateIds.registration(rejected),
        RefusalKind.CONFLICT,
        "registration request is rejected, not pending");
    assertOnlyRefusal(
        new ApproveRegistrationCommand(expired, "alice"),
        AggregateIds.registration(expired),
        RefusalKind.CONFLICT,
        "registration request is expired, not pending");
  }

  @Test
  void cannotApproveARequestThatTimedOutBeforeTheSchedulerExpiredIt() {
    String authId = request("1", List.of());
    ledger.clock.advance(Duration.ofMinutes(15));

    assertOnlyRefusal(
        new ApproveRegistrationCommand(authId, "alice"),
        AggregateIds.registration(authId),
        RefusalKind.CONFLICT,
        "registration request timed out at " + Fixtures.NOW.plusSeconds(900));
  }

  @Test
  void shouldReauthenticateAKnownMachineApprovedForTheSameUser() {
    ledger.send(new ApproveRegistrationCommand(request("1", List.of()), "alice"));
    String again =
        ledger.send(
            new RequestRegistrationCommand("mkey:1", "nodekey:fresh", "Laptop", List.of(), null));

    NodeRegistration node = ledger.send(new ApproveRegistrationCommand(again, "alice"));

    assertThat(node.nodeId()).isEqualTo(1);
    assertThat(ledger.payloads(AggregateIds.node(1)))
        .last()
        .isEqualTo(
            new NodeReauthenticatedEvent(
                1, "mkey:1", "nodekey:1", "nodekey:fresh", RegisterMethod.CLI, null, null));
    assertThat(ledger.payloads(AggregateIds.registration(again)))
        .last()
        .isEqualTo(new RegistrationApprovedEvent(again, 1, 1));
  }

  @Test
  void cannotApproveAKnownMachineForAnotherUser() {
    ledger.send(new ApproveRegistrationCommand(request("1", List.of()), "alice"));
    String again = request("1", List.of());

    assertOnlyRefusal(
        new ApproveRegistrationCommand(again, "bob"),
        AggregateIds.registration(again),
        RefusalKind.CONFLICT,
        "this machine is registered to another owner as node 1; delete that node first");
  }

  private void assertOnlyRefusal(Object command, String stream, RefusalKind kind, String reason) {
    List<Object> before = ledger.allPayloads();

    assertThatThrownBy(() -> ledger.send(command))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage(reason)
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(kind);

    List<Object> after = ledger.allPayloads();
    assertThat(after).hasSize(before.size() + 1);
    assertThat(after.get(before.size()))
        .isInstanceOfSatisfying(
            CommandRefusedEvent.class,
            refusal -> {
              assertThat(refusal.command()).isEqualTo("ApproveRegistrationCommand");
              assertThat(refusal.kind()).isEqualTo(kind);
              assertThat(refusal.reason()).isEqualTo(reason);
            });
    assertThat(ledger.payloads(stream)).last().isEqualTo(after.get(before.size()));
  }
}
