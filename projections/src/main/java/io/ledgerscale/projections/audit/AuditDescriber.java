// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyDeletedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyExpiredEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;
import io.ledgerscale.domain.api.approval.ApprovalGrantedEvent;
import io.ledgerscale.domain.api.approval.ApprovalRejectedEvent;
import io.ledgerscale.domain.api.approval.ApprovalRequestExpiredEvent;
import io.ledgerscale.domain.api.approval.ApprovalRequestedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.auditread.AuditTrailReadEvent;
import io.ledgerscale.domain.api.deadletter.DeadLettersEvictedEvent;
import io.ledgerscale.domain.api.deadletter.DeadLettersRetriedEvent;
import io.ledgerscale.domain.api.enrollment.ForeignNodeKeyRefusedEvent;
import io.ledgerscale.domain.api.node.ClientAuditRecordedEvent;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeHostnameChangedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesAdvertisedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyCreatedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyDeletedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyExpiredEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyUsedEvent;
import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RegistrationExpiredEvent;
import io.ledgerscale.domain.api.registration.RegistrationRejectedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserDeletedEvent;
import io.ledgerscale.domain.api.user.UserProfileUpdatedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import io.ledgerscale.projections.support.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an event into an audit description. Known events get a precise target, old/new values and a
 * readable summary; any other event (a new one, or a domain-internal one) still gets a row,
 * described from its aggregate and its fields, so nothing in the store goes unaudited. Secret
 * hashes never enter the trail.
 */
final class AuditDescriber {
  private AuditDescriber() {}

  static AuditDescription describe(Object p, String aggregateId) {
    if (p instanceof UserCreatedEvent e) {
      return new AuditDescription(
          "user",
          id(e.userId()),
          none(),
          of(
              "name",
              e.name(),
              "displayName",
              e.displayName(),
              "email",
              e.email(),
              "provider",
              e.provider()),
          "created user " + e.name());
    }
    if (p instanceof UserRenamedEvent e) {
      return new AuditDescription(
          "user",
          id(e.userId()),
          of("name", e.oldName()),
          of("name", e.newName()),
          "renamed user " + e.oldName() + " to " + e.newName());
    }
    if (p instanceof UserProfileUpdatedEvent e) {
      return new AuditDescription(
          "user",
          id(e.userId()),
          of(
              "displayName",
              e.oldDisplayName(),
              "email",
              e.oldEmail(),
              "pictureUrl",
              e.oldPictureUrl()),
          of("displayName", e.displayName(), "email", e.email(), "pictureUrl", e.pictureUrl()),
          "updated the profile of user " + e.userId());
    }
    if (p instanceof UserDeletedEvent e) {
      return new AuditDescription(
          "user", id(e.userId()), of("name", e.name()), none(), "deleted user " + e.name());
    }
    if (p instanceof NodeRegisteredEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          none(),
          of(
              "hostname",
              e.hostname(),
              "givenName",
              e.givenName(),
              "userId",
              e.userId(),
              "tags",
              e.tags(),
              "ipv4",
              e.ipv4(),
              "ipv6",
              e.ipv6(),
              "registerMethod",
              e.registerMethod(),
              "preAuthKeyId",
              e.preAuthKeyId(),
              "ephemeral",
              e.ephemeral(),
              "expiry",
              e.expiry(),
              "machineKey",
              e.machineKey()),
          "registered node " + e.givenName() + " (" + e.ipv4() + ") by " + e.registerMethod());
    }
    if (p instanceof NodeReauthenticatedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          of("nodeKey", e.oldNodeKey()),
          of(
              "nodeKey",
              e.newNodeKey(),
              "registerMethod",
              e.registerMethod(),
              "preAuthKeyId",
              e.preAuthKeyId(),
              "expiry",
              e.expiry()),
          "node " + e.nodeId() + " logged in again by " + e.registerMethod());
    }
    if (p instanceof NodeKeyRotatedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          of("nodeKey", e.oldNodeKey()),
          of("nodeKey", e.newNodeKey(), "preAuthKeyId", e.preAuthKeyId(), "expiry", e.expiry()),
          "node " + e.nodeId() + " rotated its node key");
    }
    if (p instanceof NodeHostnameChangedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          of("hostname", e.oldHostname()),
          of("hostname", e.newHostname()),
          "node " + e.nodeId() + " reported its hostname as " + e.newHostname());
    }
    if (p instanceof NodeRenamedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          of("givenName", e.oldName()),
          of("givenName", e.newName()),
          "renamed node " + e.oldName() + " to " + e.newName());
    }
    if (p instanceof NodeExpiryChangedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          of("expiry", e.oldExpiry()),
          of("expiry", e.newExpiry()),
          e.newExpiry() == null
              ? "disabled expiry of node " + e.nodeId()
              : "set expiry of node " + e.nodeId() + " to " + e.newExpiry());
    }
    if (p instanceof NodeOwnershipTransferredEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          of("userId", e.fromUserId(), "removedTags", e.removedTags()),
          of("userId", e.toUserId()),
          "moved node "
              + e.nodeId()
              + " from user "
              + e.fromUserId()
              + " to user "
              + e.toUserId()
              + (e.reason() == null || e.reason().isEmpty() ? "" : ": " + e.reason()));
    }
    if (p instanceof NodeTagsChangedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          of("tags", e.oldTags(), "userId", e.oldUserId()),
          of("tags", e.newTags()),
          "set tags of node " + e.nodeId() + " to " + e.newTags());
    }
    if (p instanceof NodeRoutesApprovedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          of("approvedRoutes", e.oldRoutes()),
          e.reason() == null
              ? of("approvedRoutes", e.newRoutes())
              : of("approvedRoutes", e.newRoutes(), "reason", e.reason()),
          "approved routes "
              + e.newRoutes()
              + " for node "
              + e.nodeId()
              + (e.reason() == null ? "" : " (" + e.reason() + ")"));
    }
    if (p instanceof NodeRoutesAdvertisedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          of("advertisedRoutes", e.oldRoutes()),
          of("advertisedRoutes", e.newRoutes()),
          "node " + e.nodeId() + " advertises routes " + e.newRoutes());
    }
    if (p instanceof ApprovalRequestedEvent e) {
      return new AuditDescription(
          "approval",
          e.requestId(),
          none(),
          of("action", e.action().key(), "summary", e.summary(), "expiresAt", e.expiresAt()),
          "asked another admin to approve: " + e.summary() + " (until " + e.expiresAt() + ")");
    }
    if (p instanceof ApprovalGrantedEvent e) {
      return new AuditDescription(
          "approval",
          e.requestId(),
          of("status", "PENDING"),
          of("status", "APPROVED", "approver", e.approverName()),
          "approved request " + e.requestId() + "; the change runs as the approver's");
    }
    if (p instanceof ApprovalRequestExpiredEvent e) {
      return new AuditDescription(
          "approval",
          e.requestId(),
          of("status", "PENDING"),
          of("status", "EXPIRED", "expiresAt", e.expiresAt()),
          "request "
              + e.requestId()
              + " expired undecided at "
              + e.expiresAt()
              + "; the held change never ran");
    }
    if (p instanceof ApprovalRejectedEvent e) {
      return new AuditDescription(
          "approval",
          e.requestId(),
          of("status", "PENDING"),
          of("status", "REJECTED", "reason", e.reason()),
          "rejected request "
              + e.requestId()
              + (e.reason() == null || e.reason().isEmpty() ? "" : ": " + e.reason()));
    }
    if (p instanceof AuditTrailReadEvent e) {
      return new AuditDescription(
          "audit",
          e.what(),
          none(),
          of("query", e.query(), "entries", e.entries()),
          "read the audit trail ("
              + e.what()
              + (e.query() == null || e.query().isEmpty() ? "" : " " + e.query())
              + "): "
              + e.entries()
              + " record(s)");
    }
    if (p instanceof ClientAuditRecordedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          none(),
          of("action", e.action(), "details", e.details(), "clientTime", e.clientTime()),
          ("DISCONNECT_NODE".equals(e.action())
                  ? "node " + e.nodeId() + " reported it was disconnected"
                  : "node " + e.nodeId() + " reported " + e.action())
              + ": "
              + e.details());
    }
    if (p instanceof NodeDeletedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          of("givenName", e.givenName(), "addresses", e.releasedAddresses()),
          none(),
          "deleted node " + e.givenName());
    }
    if (p instanceof PreAuthKeyCreatedEvent e) {
      return new AuditDescription(
          "preauthkey",
          id(e.keyId()),
          none(),
          of(
              "prefix",
              e.prefix(),
              "userId",
              e.userId(),
              "reusable",
              e.reusable(),
              "ephemeral",
              e.ephemeral(),
              "expiration",
              e.expiration(),
              "aclTags",
              e.aclTags()),
          "created pre-auth key "
              + e.prefix()
              + (e.userId() == null ? " for tags " + e.aclTags() : " for user " + e.userId()));
    }
    if (p instanceof PreAuthKeyUsedEvent e) {
      return new AuditDescription(
          "preauthkey",
          id(e.keyId()),
          none(),
          of("nodeId", e.nodeId()),
          "pre-auth key " + e.keyId() + " registered node " + e.nodeId());
    }
    if (p instanceof PreAuthKeyExpiredEvent e) {
      return new AuditDescription(
          "preauthkey",
          id(e.keyId()),
          none(),
          of("expiration", e.expiredAt()),
          "expired pre-auth key " + e.keyId());
    }
    if (p instanceof PreAuthKeyDeletedEvent e) {
      return new AuditDescription(
          "preauthkey",
          id(e.keyId()),
          none(),
          of("deleted", true),
          "deleted pre-auth key " + e.keyId());
    }
    if (p instanceof ApiKeyCreatedEvent e) {
      return new AuditDescription(
          "apikey",
          id(e.apiKeyId()),
          none(),
          of("prefix", e.prefix(), "expiration", e.expiration()),
          "created API key " + e.prefix());
    }
    if (p instanceof ApiKeyUsedEvent e) {
      return new AuditDescription(
          "apikey",
          id(e.apiKeyId()),
          none(),
          of("lastSeen", e.usedAt()),
          "API key " + e.apiKeyId() + " used");
    }
    if (p instanceof ApiKeyExpiredEvent e) {
      return new AuditDescription(
          "apikey",
          id(e.apiKeyId()),
          none(),
          of("expiration", e.expiredAt()),
          "expired API key " + e.prefix());
    }
    if (p instanceof ApiKeyDeletedEvent e) {
      return new AuditDescription(
          "apikey", id(e.apiKeyId()), none(), of("deleted", true), "deleted API key " + e.prefix());
    }
    if (p instanceof PolicyChangedEvent e) {
      return new AuditDescription(
          "policy",
          "policy",
          of("sha256", e.previousSha256()),
          of("version", e.version(), "sha256", e.sha256(), "diff", e.diff()),
          "changed policy to version " + e.version());
    }
    if (p instanceof RegistrationRequestedEvent e) {
      return new AuditDescription(
          "registration",
          e.authId(),
          none(),
          of(
              "hostname",
              e.hostname(),
              "machineKey",
              e.machineKey(),
              "requestedTags",
              e.requestedTags(),
              "expiresAt",
              e.expiresAt()),
          "node " + e.hostname() + " asked to register");
    }
    if (p instanceof RegistrationApprovedEvent e) {
      return new AuditDescription(
          "registration",
          e.authId(),
          of("status", "PENDING"),
          of("status", "APPROVED", "userId", e.userId(), "nodeId", e.nodeId()),
          "approved registration as node " + e.nodeId() + " for user " + e.userId());
    }
    if (p instanceof RegistrationRejectedEvent e) {
      return new AuditDescription(
          "registration",
          e.authId(),
          of("status", "PENDING"),
          of("status", "REJECTED", "reason", e.reason()),
          "rejected registration: " + e.reason());
    }
    if (p instanceof RegistrationExpiredEvent e) {
      return new AuditDescription(
          "registration",
          e.authId(),
          of("status", "PENDING"),
          of("status", "EXPIRED"),
          "registration timed out");
    }
    if (p instanceof DeadLettersEvictedEvent e) {
      return new AuditDescription(
          "projection",
          e.group(),
          none(),
          of("sequence", e.sequence(), "evicted", e.letters(), "eventIds", e.eventIds()),
          "evicted "
              + e.letters()
              + " dead letter(s) of sequence "
              + e.sequence()
              + ": "
              + e.group()
              + " skips them for good");
    }
    if (p instanceof DeadLettersRetriedEvent e) {
      return new AuditDescription(
          "projection",
          e.group(),
          of("deadLetters", e.before()),
          of("deadLetters", e.stillFailing(), "processed", e.processed()),
          "retried "
              + e.before()
              + " dead letter(s) of "
              + e.group()
              + ": "
              + e.processed()
              + " processed, "
              + e.stillFailing()
              + " still failing");
    }
    if (p instanceof ForeignNodeKeyRefusedEvent e) {
      return new AuditDescription(
          "node",
          id(e.nodeId()),
          none(),
          of("command", e.command(), "kind", RefusalKind.CREDENTIAL_REJECTED, "reason", e.reason()),
          "refused to "
              + CommandWords.of(e.command())
              + " with the node key of node "
              + e.nodeId()
              + ": "
              + e.reason());
    }
    if (p instanceof CommandRefusedEvent e) {
      return new AuditDescription(
          e.targetType(),
          e.targetId(),
          none(),
          of("command", e.command(), "kind", e.kind(), "reason", e.reason()),
          "refused to "
              + CommandWords.of(e.command())
              + (e.targetId() == null || e.targetId().isEmpty()
                  ? ""
                  : " (" + targetWord(e.targetType()) + " " + e.targetId() + ")")
              + ", "
              + kindWords(e.kind())
              + ": "
              + e.reason());
    }
    AuditDescription tailnet = TailnetDescriber.describe(p);
    if (tailnet != null) {
      return tailnet;
    }
    return generic(p, aggregateId);
  }

  private static AuditDescription generic(Object payload, String aggregateId) {
    Map<String, Object> values = new LinkedHashMap<>(Json.toMap(payload));
    values
        .keySet()
        .removeIf(
            k ->
                k.toLowerCase(Locale.ROOT).contains("secret")
                    || k.toLowerCase(Locale.ROOT).contains("hash")
                        && !k.toLowerCase(Locale.ROOT).contains("sha"));
    String type = null;
    String id = aggregateId;
    if (aggregateId != null && aggregateId.indexOf('-') > 0) {
      type = aggregateId.substring(0, aggregateId.indexOf('-'));
      id = aggregateId.substring(aggregateId.indexOf('-') + 1);
    } else if (aggregateId != null) {
      type = aggregateId;
    }
    return new AuditDescription(
        type,
        id,
        none(),
        values,
        payload.getClass().getSimpleName() + (aggregateId == null ? "" : " on " + aggregateId));
  }

  private static String targetWord(String targetType) {
    return targetType == null ? "target" : targetType.toLowerCase(Locale.ROOT);
  }

  private static String kindWords(RefusalKind kind) {
    if (kind == null) {
      return "refused";
    }
    return switch (kind) {
      case INVALID -> "the request was invalid";
      case NOT_FOUND -> "it does not exist";
      case CONFLICT -> "it conflicts with the current state";
      case NOT_PERMITTED -> "not permitted";
      case CREDENTIAL_REJECTED -> "the credential was rejected";
    };
  }

  private static String id(long id) {
    return Long.toString(id);
  }
}
