// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.junit.jupiter.api.Test;

/**
 * The refusal of a registration with a used single-use key, on Axon's real command bus: with {@link
 * RefusalsCommit} the refusal event is stored and nothing else is; with Axon's default rollback
 * rule it would be lost.
 */
class RefusalsCommitOnTheBusTest {

  @Test
  void shouldKeepTheRefusalEventAndNothingElse() {
    try (InJvmLedger ledger = new InJvmLedger()) {
      IssuedPreAuthKey key = usedSingleUseKey(ledger);
      List<Object> before = ledger.allPayloads();

      assertThatThrownBy(() -> ledger.send(register("mkey:2", key)))
          .isInstanceOf(CommandRefusedException.class);

      List<Object> after = ledger.allPayloads();
      assertThat(after.subList(0, before.size())).isEqualTo(before);
      assertThat(after.subList(before.size(), after.size()))
          .containsExactly(
              new CommandRefusedEvent(
                  "RegisterNodeWithPreAuthKeyCommand",
                  "PreAuthKey",
                  String.valueOf(key.id()),
                  RefusalKind.CREDENTIAL_REJECTED,
                  "pre-auth key was already used"));
      List<DomainEventMessage<?>> keyStream = ledger.stream(AggregateIds.preAuthKey(key.id()));
      DomainEventMessage<?> refusal = keyStream.get(keyStream.size() - 1);
      assertThat(refusal.getMetaData().get(AuditMetadata.CORRELATION_ID)).isEqualTo("corr-alice");
      assertThat(refusal.getSequenceNumber()).isEqualTo(2);
    }
  }

  @Test
  void shouldLoseTheRefusalWithAxonsDefaultRollbackRule() {
    try (InJvmLedger ledger = new InJvmLedger(RollbackConfigurationType.UNCHECKED_EXCEPTIONS)) {
      IssuedPreAuthKey key = usedSingleUseKey(ledger);
      List<Object> before = ledger.allPayloads();

      assertThatThrownBy(() -> ledger.send(register("mkey:2", key)))
          .isInstanceOf(CommandRefusedException.class);

      assertThat(ledger.allPayloads()).isEqualTo(before);
    }
  }

  private static IssuedPreAuthKey usedSingleUseKey(InJvmLedger ledger) {
    ledger.send(new CreateUserCommand("alice", null, null, null, null, null));
    IssuedPreAuthKey key =
        ledger.send(new CreatePreAuthKeyCommand(1L, false, false, null, List.of()));
    ledger.send(register("mkey:1", key));
    return key;
  }

  private static RegisterNodeWithPreAuthKeyCommand register(
      String machineKey, IssuedPreAuthKey key) {
    return new RegisterNodeWithPreAuthKeyCommand(
        machineKey, "nodekey:" + machineKey, "laptop", List.of(), key.key(), null);
  }
}
