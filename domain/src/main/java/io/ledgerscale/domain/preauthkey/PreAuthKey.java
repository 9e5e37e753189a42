// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.preauthkey;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.preauthkey.DeletePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.ExpirePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyCreatedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyDeletedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyExpiredEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyUsedEvent;
import io.ledgerscale.domain.support.Refusals;
import io.ledgerscale.domain.support.Secrets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A pre-auth key. A single-use key is consumed by its first registration; since every use is an
 * event on this one stream, two registrations racing for the same key cannot both append the use.
 */
public class PreAuthKey {

  @AggregateIdentifier private String id;
  private long keyId;
  private String secretHash;
  private Long userId;
  private boolean reusable;
  private boolean ephemeral;
  private Instant expiration;
  private List<String> aclTags;
  private boolean used;
  private boolean deleted;

  /** Required by Axon to rebuild the aggregate from its events. */
  protected PreAuthKey() {}

  PreAuthKey(PreAuthKeyCreatedEvent created) {
    apply(created);
  }

  @CommandHandler
  public void handle(ExpirePreAuthKeyCommand command, Clock clock) {
    requireNotDeleted(command);
    Instant now = clock.instant();
    if (!expiration.isAfter(now)) {
      throw Refusals.refuse(
          command,
          "PreAuthKey",
          keyId,
          RefusalKind.CONFLICT,
          "pre-auth key " + keyId + " has already expired");
    }
    apply(new PreAuthKeyExpiredEvent(keyId, now));
  }

  @CommandHandler
  public void handle(DeletePreAuthKeyCommand command) {
    requireNotDeleted(command);
    apply(new PreAuthKeyDeletedEvent(keyId));
  }

  /**
   * Refuses (recorded on this key) unless the secret matches and the key may register a node now.
   * The secret is checked first so that a wrong guess learns nothing about the key's state.
   */
  public void checkRedeemable(Object command, String secret, Instant now) {
    String refusal = null;
    if (!Secrets.matches(secret, secretHash)) {
      refusal = "pre-auth key secret does not match";
    } else if (deleted) {
      refusal = "pre-auth key was deleted";
    } else if (!expiration.isAfter(now)) {
      refusal = "pre-auth key has expired";
    } else if (used && !reusable) {
      refusal = "pre-auth key was already used";
    }
    if (refusal != null) {
      throw Refusals.refuse(command, "PreAuthKey", keyId, RefusalKind.CREDENTIAL_REJECTED, refusal);
    }
  }

  /** Records a refusal on this key's stream. */
  public RuntimeException refuse(Object command, RefusalKind kind, String reason) {
    return Refusals.refuse(command, "PreAuthKey", keyId, kind, reason);
  }

  public void markUsed(long nodeId) {
    apply(new PreAuthKeyUsedEvent(keyId, nodeId));
  }

  public long keyId() {
    return keyId;
  }

  public Long userId() {
    return userId;
  }

  public boolean ephemeral() {
    return ephemeral;
  }

  public List<String> aclTags() {
    return aclTags;
  }

  private void requireNotDeleted(Object command) {
    if (deleted) {
      throw Refusals.refuse(
          command,
          "PreAuthKey",
          keyId,
          RefusalKind.NOT_FOUND,
          "pre-auth key " + keyId + " was deleted");
    }
  }

  @EventSourcingHandler
  void on(PreAuthKeyCreatedEvent event) {
    id = AggregateIds.preAuthKey(event.keyId());
    keyId = event.keyId();
    secretHash = event.secretHash();
    userId = event.userId();
    reusable = event.reusable();
    ephemeral = event.ephemeral();
    expiration = event.expiration();
    aclTags = event.aclTags() == null ? List.of() : List.copyOf(event.aclTags());
  }

  @EventSourcingHandler
  void on(PreAuthKeyExpiredEvent event) {
    expiration = event.expiredAt();
  }

  @EventSourcingHandler
  void on(PreAuthKeyUsedEvent event) {
    used = true;
  }

  @EventSourcingHandler
  void on(PreAuthKeyDeletedEvent event) {
    deleted = true;
  }
}
