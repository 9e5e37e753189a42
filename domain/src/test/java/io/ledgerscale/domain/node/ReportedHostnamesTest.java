// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.NodeHostnameChangedEvent;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.RecordNodeHostnameCommand;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.RenameNodeCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.tailnet.NodeNameReassignedEvent;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.support.InJvmLedger;
import java.util.List;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportedHostnamesTest {
  private static final MetaData NODE_1 =
      AuditMetadata.of(new Actor(ActorType.NODE, "1", "node 1"), Origin.NODE, "", null);
  private static final MetaData ADMIN =
      AuditMetadata.of(new Actor(ActorType.API_KEY, "abcdefghijkl", "ci"), Origin.REST, "", null);

  private final InJvmLedger ledger = new InJvmLedger();
  private IssuedPreAuthKey key;

  @BeforeEach
  void setUp() {
    ledger.send(new CreateUserCommand("alice", null, "alice@example.com", null, null, null));
    key = ledger.send(new CreatePreAuthKeyCommand(1L, true, false, null, List.of()));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private void register(String machine, String hostname) {
    ledger.send(
        new RegisterNodeWithPreAuthKeyCommand(
            "mkey:" + machine, "nodekey:" + machine, hostname, List.of(), key.key(), null));
  }

  @Test
  void recordsANewHostnameAndTheNameMadeFromItFollows() {
    register("1", "Laptop");

    ledger.send(new RecordNodeHostnameCommand(1, "Work Laptop"), NODE_1);

    assertThat(ledger.payloads(AggregateIds.node(1)))
        .endsWith(
            new NodeHostnameChangedEvent(1, "Laptop", "Work Laptop"),
            new NodeRenamedEvent(1, "laptop", "work-laptop"));
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(new NodeNameReassignedEvent(1, "laptop", "work-laptop"));
  }

  @Test
  void aFollowingNameTakesTheNextFreeSuffixAndKeepsItsOwn() {
    register("1", "db");
    register("2", "web");
    // node 2 reports "db": that name is taken, so it becomes db-1
    ledger.send(new RecordNodeHostnameCommand(2, "db"), NODE_1);
    assertThat(ledger.payloads(AggregateIds.node(2)))
        .last()
        .isEqualTo(new NodeRenamedEvent(2, "web", "db-1"));

    // "DB" makes the same name, which node 2 already has in its "-1" form: only the hostname
    // changes
    ledger.send(new RecordNodeHostnameCommand(2, "DB"), NODE_1);
    assertThat(ledger.payloads(AggregateIds.node(2)))
        .last()
        .isEqualTo(new NodeHostnameChangedEvent(2, "db", "DB"));
  }

  @Test
  void aNameAnAdminChoseStays() {
    register("1", "laptop");
    ledger.send(new RenameNodeCommand(1, "build-box"), ADMIN);

    ledger.send(new RecordNodeHostnameCommand(1, "desktop"), NODE_1);

    assertThat(ledger.payloads(AggregateIds.node(1)))
        .last()
        .isEqualTo(new NodeHostnameChangedEvent(1, "laptop", "desktop"));
  }

  @Test
  void theSameHostnameAgainChangesNothing() {
    register("1", "laptop");
    int before = ledger.payloads(AggregateIds.node(1)).size();

    ledger.send(new RecordNodeHostnameCommand(1, "laptop"), NODE_1);

    assertThat(ledger.payloads(AggregateIds.node(1))).hasSize(before);
  }

  @Test
  void refusesAnEmptyOverlongOrControlCharacterHostnameAndRecordsIt() {
    register("1", "laptop");
    for (String bad : List.of(" ", "x".repeat(254), "evil\nname", "nul\u0000")) {
      assertThatThrownBy(() -> ledger.send(new RecordNodeHostnameCommand(1, bad), NODE_1))
          .isInstanceOf(CommandRefusedException.class);
    }
    assertThat(ledger.payloads(AggregateIds.node(1)))
        .filteredOn(CommandRefusedEvent.class::isInstance)
        .hasSize(4);
    assertThat(ledger.payloads(AggregateIds.node(1)))
        .noneMatch(NodeHostnameChangedEvent.class::isInstance);
  }
}
