// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.sshcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.sshcheck.ApproveSshCheckCommand;
import io.ledgerscale.domain.api.sshcheck.RequestSshCheckCommand;
import io.ledgerscale.domain.api.sshcheck.SshCheckApprovedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckIds;
import io.ledgerscale.domain.api.sshcheck.SshCheckRequestedEvent;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.support.Fixtures;
import io.ledgerscale.domain.support.InJvmLedger;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SshCheckRequesterTest {
  private final InJvmLedger ledger = new InJvmLedger();

  @BeforeEach
  void setUp() {
    ledger.send(new CreateUserCommand("alice", null, "alice@example.com", null, null, null));
    ledger.send(new SetPolicyCommand("{\"tagOwners\": {\"tag:web\": []}}"));
    IssuedPreAuthKey user =
        ledger.send(new CreatePreAuthKeyCommand(1L, true, false, null, List.of()));
    IssuedPreAuthKey tags =
        ledger.send(new CreatePreAuthKeyCommand(null, true, false, null, List.of("tag:web")));
    ledger.send(
        new RegisterNodeWithPreAuthKeyCommand(
            "mkey:1", "nodekey:1", "laptop", List.of(), user.key(), null));
    ledger.send(
        new RegisterNodeWithPreAuthKeyCommand(
            "mkey:2", "nodekey:2", "server", List.of(), tags.key(), null));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  @Test
  void canOpenACheckForTheSourceNodesOwner() {
    String id = ledger.send(new RequestSshCheckCommand(1, 2, "root", "root"));

    assertThat(id).startsWith(SshCheckIds.PREFIX).hasSize(SshCheckIds.PREFIX.length() + 24);
    assertThat(ledger.payloads(AggregateIds.sshCheck(id)))
        .containsExactly(
            new SshCheckRequestedEvent(
                id, 1, 2, 1L, "root", "root", Fixtures.NOW.plus(SshCheckRequester.WAIT)));

    ledger.send(new ApproveSshCheckCommand(id, null));

    assertThat(ledger.payloads(AggregateIds.sshCheck(id)))
        .last()
        .isEqualTo(new SshCheckApprovedEvent(id, 1));
  }

  @Test
  void cannotCheckATaggedSource() {
    assertRefused(
        new RequestSshCheckCommand(2, 1, "root", "root"),
        RefusalKind.NOT_PERMITTED,
        "node 2 is tagged: an SSH check needs a device owned by a user");
  }

  @Test
  void cannotCheckUnknownNodes() {
    assertRefused(
        new RequestSshCheckCommand(1, 9, "root", "root"),
        RefusalKind.NOT_FOUND,
        "no node with id 9");
    assertRefused(
        new RequestSshCheckCommand(9, 1, "root", "root"),
        RefusalKind.NOT_FOUND,
        "no node with id 9");
  }

  private void assertRefused(RequestSshCheckCommand command, RefusalKind kind, String reason) {
    int before = ledger.allPayloads().size();
    assertThatThrownBy(() -> ledger.send(command))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage(reason);
    List<Object> after = ledger.allPayloads();
    assertThat(after).hasSize(before + 1);
    assertThat(after.get(before))
        .isInstanceOfSatisfying(
            CommandRefusedEvent.class,
            e -> {
              assertThat(e.command()).isEqualTo("RequestSshCheckCommand");
              assertThat(e.kind()).isEqualTo(kind);
            });
  }
}
