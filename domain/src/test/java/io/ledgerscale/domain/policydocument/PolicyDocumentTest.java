// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import static io.ledgerscale.domain.support.Fixtures.ALICE_CLI;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.support.AuditMatchers;
import io.ledgerscale.domain.support.Fixtures;
import io.ledgerscale.domain.support.Secrets;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyDocumentTest {
  private static final String V1 = """
      {
        // servers are alice's
        "tagOwners": {"tag:server": ["alice@"],},
      }
      """;
  private static final String V2 = """
      {
        // servers are alice's and bob's
        "tagOwners": {"tag:server": ["alice@", "bob@"],},
      }
      """;

  private AggregateTestFixture<PolicyDocument> fixture;

  @BeforeEach
  void setUp() {
    fixture = Fixtures.fixture(PolicyDocument.class);
  }

  @Test
  void canSetTheFirstPolicyVerbatim() {
    fixture.givenNoPriorActivity()
        .when(new SetPolicyCommand(V1), ALICE_CLI)
        .expectSuccessfulHandlerExecution()
        .expectResultMessagePayload(1L)
        .expectEvents(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, LineDiff.between(null, V1)))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void canReplaceThePolicyWithHashesAndADiff() {
    fixture.given(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""))
        .when(new SetPolicyCommand(V2), ALICE_CLI)
        .expectResultMessagePayload(2L)
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI))
        .expectEvents(new PolicyChangedEvent(2, V2, Secrets.sha256(V2), Secrets.sha256(V1),
            " {\n"
                + "-  // servers are alice's\n"
                + "-  \"tagOwners\": {\"tag:server\": [\"alice@\"],},\n"
                + "+  // servers are alice's and bob's\n"
                + "+  \"tagOwners\": {\"tag:server\": [\"alice@\", \"bob@\"],},\n"
                + " }\n"));
  }

  @Test
  void shouldKeepTheVersionWhenTheTextIsUnchanged() {
    fixture.given(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""))
        .when(new SetPolicyCommand(V1))
        .expectNoEvents()
        .expectResultMessagePayload(1L);
  }

  @Test
  void cannotSetUnparsableHuJsonButTheRefusalIsRecorded() {
    fixture.given(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""))
        .when(new SetPolicyCommand("{\"tagOwners\": {"), ALICE_CLI)
        .expectException(CommandRefusedException.class)
        .expectExceptionMessage(org.hamcrest.Matchers.startsWith("policy is not valid HuJSON"))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI))
        .expectState(policy -> assertThat(policy.tagOwners().mayApply("alice", null, "tag:server")).isTrue());
  }

  @Test
  void cannotSetAnEmptyPolicyEvenAsTheFirstVersion() {
    fixture.givenNoPriorActivity()
        .when(new SetPolicyCommand("  "))
        .expectException(CommandRefusedException.class)
        .expectEvents(new CommandRefusedEvent("SetPolicyCommand", "Policy", "policy", RefusalKind.INVALID,
            "the policy is empty"));
  }

  @Test
  void shouldAnswerTagOwnersOfTheVersionInForce() {
    fixture.given(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""),
            new PolicyChangedEvent(2, V2, Secrets.sha256(V2), Secrets.sha256(V1), ""))
        .when(new SetPolicyCommand(V2))
        .expectState(policy -> {
          assertThat(policy.tagOwners().mayApply("bob", null, "tag:server")).isTrue();
          assertThat(policy.tagOwners().mayApply("carol", null, "tag:server")).isFalse();
        });
  }
}
