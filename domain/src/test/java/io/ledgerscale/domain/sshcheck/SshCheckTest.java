// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.sshcheck;

import static io.ledgerscale.domain.support.Fixtures.ALICE_CLI;
import static io.ledgerscale.domain.support.Fixtures.NOW;

import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.sshcheck.ApproveSshCheckCommand;
import io.ledgerscale.domain.api.sshcheck.RejectSshCheckCommand;
import io.ledgerscale.domain.api.sshcheck.SshCheckApprovedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRejectedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRequestedEvent;
import io.ledgerscale.domain.support.AuditMatchers;
import io.ledgerscale.domain.support.Fixtures;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SshCheckTest {
  private static final String ID = "lskey-sshcheck-AAAAAAAAAAAAAAAAAAAAAAAA";
  private static final SshCheckRequestedEvent REQUESTED =
      new SshCheckRequestedEvent(ID, 3, 4, 1, "root", "root", NOW.plusSeconds(600));

  private AggregateTestFixture<SshCheck> fixture;

  @BeforeEach
  void setUp() {
    fixture = Fixtures.fixture(SshCheck.class);
  }

  @Test
  void canApproveAPendingCheck() {
    fixture
        .given(REQUESTED)
        .when(new ApproveSshCheckCommand(ID, null), ALICE_CLI)
        .expectEvents(new SshCheckApprovedEvent(ID, 1))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void canBeApprovedByItsUsersOwnLogin() {
    fixture
        .given(REQUESTED)
        .when(new ApproveSshCheckCommand(ID, 1L))
        .expectEvents(new SshCheckApprovedEvent(ID, 1));
  }

  @Test
  void cannotBeApprovedByAnotherUsersLogin() {
    fixture
        .given(REQUESTED)
        .when(new ApproveSshCheckCommand(ID, 2L))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "ApproveSshCheckCommand",
                "SshCheck",
                ID,
                RefusalKind.NOT_PERMITTED,
                "only user 1 can pass this SSH check"));
  }

  @Test
  void canRejectAPendingCheck() {
    fixture
        .given(REQUESTED)
        .when(new RejectSshCheckCommand(ID, "not me"))
        .expectEvents(new SshCheckRejectedEvent(ID, "not me"));
  }

  @Test
  void cannotApproveATimedOutCheck() {
    fixture
        .given(new SshCheckRequestedEvent(ID, 3, 4, 1, "root", "root", NOW))
        .when(new ApproveSshCheckCommand(ID, null))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "ApproveSshCheckCommand",
                "SshCheck",
                ID,
                RefusalKind.CONFLICT,
                "SSH check timed out at " + NOW));
  }

  @Test
  void cannotApproveARejectedCheck() {
    fixture
        .given(REQUESTED, new SshCheckRejectedEvent(ID, ""))
        .when(new ApproveSshCheckCommand(ID, null))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "ApproveSshCheckCommand",
                "SshCheck",
                ID,
                RefusalKind.CONFLICT,
                "SSH check is rejected, not pending"));
  }

  @Test
  void cannotRejectAnApprovedCheck() {
    fixture
        .given(REQUESTED, new SshCheckApprovedEvent(ID, 1))
        .when(new RejectSshCheckCommand(ID, null))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "RejectSshCheckCommand",
                "SshCheck",
                ID,
                RefusalKind.CONFLICT,
                "SSH check is approved, not pending"));
  }
}
