// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import static io.ledgerscale.domain.support.Fixtures.ALICE_CLI;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.policy.TagOwnerChecks;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.support.AuditMatchers;
import io.ledgerscale.domain.support.Fixtures;
import io.ledgerscale.domain.support.Secrets;
import java.util.List;
import java.util.Set;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyDocumentTest {
  private static final String V1 =
      """
      {
        // servers are alice's
        "tagOwners": {"tag:server": ["alice@"],},
      }
      """;
  private static final String V2 =
      """
      {
        // servers are alice's and bob's
        "tagOwners": {"tag:server": ["alice@", "bob@"],},
      }
      """;

  private static final MetaData FILE_RELOAD = AuditMetadata.system(Origin.SYSTEM, "policy file");

  /**
   * alice owns a laptop, bob a tagged server; what a policy's tests and names are checked against.
   */
  private static final TailnetSnapshot TAILNET =
      TailnetSnapshot.of(
          List.of(
              new TailnetUser(1, "alice", "alice@example.com"),
              new TailnetUser(2, "bob", "bob@example.com")),
          List.of(
              new TailnetNode(
                  1,
                  "laptop",
                  IpAddress.parse("100.64.0.1"),
                  IpAddress.parse("fd7a:115c:a1e0::1"),
                  1L,
                  Set.of(),
                  List.of(),
                  List.of()),
              new TailnetNode(
                  2,
                  "server",
                  IpAddress.parse("100.64.0.2"),
                  IpAddress.parse("fd7a:115c:a1e0::2"),
                  null,
                  Set.of("tag:server"),
                  List.of(),
                  List.of())));

  private static final String WITH_PASSING_TEST =
      """
      {
        "tagOwners": {"tag:server": ["alice@"]},
        "acls": [{"action": "accept", "src": ["alice@"], "dst": ["tag:server:22"]}],
        "tests": [{"src": "alice@", "accept": ["tag:server:22"], "deny": ["tag:server:80"]}],
      }
      """;
  private static final String WITH_FAILING_TEST =
      """
      {
        "tagOwners": {"tag:server": ["alice@"]},
        "acls": [{"action": "accept", "src": ["alice@"], "dst": ["tag:server:22"]}],
        "tests": [{"src": "alice@", "accept": ["tag:server:80"]}],
      }
      """;

  private AggregateTestFixture<PolicyDocument> fixture;

  @BeforeEach
  void setUp() {
    fixture = fixture(PolicySource.DATABASE);
  }

  private static AggregateTestFixture<PolicyDocument> fixture(PolicySource source) {
    AggregateTestFixture<PolicyDocument> f = Fixtures.fixture(PolicyDocument.class);
    f.registerInjectableResource((TailnetTopology) () -> TAILNET);
    f.registerInjectableResource(source);
    return f;
  }

  @Test
  void canSetAPolicyWhoseTestsPassAgainstTheTailnet() {
    fixture
        .givenNoPriorActivity()
        .when(new SetPolicyCommand(WITH_PASSING_TEST), ALICE_CLI)
        .expectResultMessagePayload(1L)
        .expectEvents(
            new PolicyChangedEvent(
                1,
                WITH_PASSING_TEST,
                Secrets.sha256(WITH_PASSING_TEST),
                null,
                LineDiff.between(null, WITH_PASSING_TEST)));
  }

  @Test
  void cannotSetAPolicyWhoseTestsFailAndTheRefusalSaysWhich() {
    fixture
        .given(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""))
        .when(new SetPolicyCommand(WITH_FAILING_TEST), ALICE_CLI)
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "SetPolicyCommand",
                "Policy",
                "policy",
                RefusalKind.INVALID,
                "test(s) failed: test at line 4: tag:server:80 expected ALLOWED, got DENIED"))
        .expectState(
            policy ->
                assertThat(TagOwnerChecks.mayApply(policy.tagOwners(), "bob", null, "tag:server"))
                    .isFalse());
  }

  @Test
  void cannotSetAPolicyNamingAnUndeclaredTagAndTheRefusalSaysWhere() {
    String text =
        "{\n  \"acls\": [\n    {\"action\": \"accept\", \"src\": [\"tag:nope\"], \"dst\": [\"*:*\"]}\n  ]\n}";
    fixture
        .givenNoPriorActivity()
        .when(new SetPolicyCommand(text), ALICE_CLI)
        .expectException(CommandRefusedException.class)
        .expectExceptionMessage(
            org.hamcrest.Matchers.allOf(
                org.hamcrest.Matchers.containsString("tag:nope"),
                org.hamcrest.Matchers.containsString("(line 3, column")));
  }

  @Test
  void cannotSetThePolicyThroughTheApiInFileMode() {
    fixture = fixture(PolicySource.file("/etc/ledgerscale/policy.hujson"));
    fixture
        .given(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""))
        .when(new SetPolicyCommand(V2), ALICE_CLI)
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "SetPolicyCommand",
                "Policy",
                "policy",
                RefusalKind.CONFLICT,
                "update is disabled for modes other than 'database': the policy is read from the file"
                    + " /etc/ledgerscale/policy.hujson (policy.mode: file): edit that file, "
                    + "or set policy.mode: database to manage the policy through the API"));
  }

  @Test
  void canReloadThePolicyFromItsFileInFileMode() {
    fixture = fixture(PolicySource.file("/etc/ledgerscale/policy.hujson"));
    fixture
        .given(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""))
        .when(new SetPolicyCommand(V2), FILE_RELOAD)
        .expectResultMessagePayload(2L)
        .expectEventsMatching(AuditMatchers.allCarry(FILE_RELOAD));
  }

  @Test
  void canSetTheFirstPolicyVerbatim() {
    fixture
        .givenNoPriorActivity()
        .when(new SetPolicyCommand(V1), ALICE_CLI)
        .expectSuccessfulHandlerExecution()
        .expectResultMessagePayload(1L)
        .expectEvents(
            new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, LineDiff.between(null, V1)))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void canReplaceThePolicyWithHashesAndADiff() {
    fixture
        .given(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""))
        .when(new SetPolicyCommand(V2), ALICE_CLI)
        .expectResultMessagePayload(2L)
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI))
        .expectEvents(
            new PolicyChangedEvent(
                2,
                V2,
                Secrets.sha256(V2),
                Secrets.sha256(V1),
                " {\n"
                    + "-  // servers are alice's\n"
                    + "-  \"tagOwners\": {\"tag:server\": [\"alice@\"],},\n"
                    + "+  // servers are alice's and bob's\n"
                    + "+  \"tagOwners\": {\"tag:server\": [\"alice@\", \"bob@\"],},\n"
                    + " }\n"));
  }

  @Test
  void shouldKeepTheVersionWhenTheTextIsUnchanged() {
    fixture
        .given(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""))
        .when(new SetPolicyCommand(V1))
        .expectNoEvents()
        .expectResultMessagePayload(1L);
  }

  @Test
  void cannotSetUnparsableHuJsonButTheRefusalIsRecorded() {
    fixture
        .given(new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""))
        .when(new SetPolicyCommand("{\"tagOwners\": {"), ALICE_CLI)
        .expectException(CommandRefusedException.class)
        .expectExceptionMessage(org.hamcrest.Matchers.startsWith("parsing HuJSON: "))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI))
        .expectState(
            policy ->
                assertThat(TagOwnerChecks.mayApply(policy.tagOwners(), "alice", null, "tag:server"))
                    .isTrue());
  }

  @Test
  void cannotSetAnEmptyPolicyEvenAsTheFirstVersion() {
    fixture
        .givenNoPriorActivity()
        .when(new SetPolicyCommand("  "))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "SetPolicyCommand",
                "Policy",
                "policy",
                RefusalKind.INVALID,
                "the policy is empty"));
  }

  @Test
  void shouldAnswerTagOwnersOfTheVersionInForce() {
    fixture
        .given(
            new PolicyChangedEvent(1, V1, Secrets.sha256(V1), null, ""),
            new PolicyChangedEvent(2, V2, Secrets.sha256(V2), Secrets.sha256(V1), ""))
        .when(new SetPolicyCommand(V2))
        .expectState(
            policy -> {
              assertThat(TagOwnerChecks.mayApply(policy.tagOwners(), "bob", null, "tag:server"))
                  .isTrue();
              assertThat(TagOwnerChecks.mayApply(policy.tagOwners(), "carol", null, "tag:server"))
                  .isFalse();
            });
  }
}
