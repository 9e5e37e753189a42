// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.node.Owner;
import io.ledgerscale.domain.api.sshcheck.SshCheckApprovedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRejectedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRequestedEvent;
import io.ledgerscale.domain.api.tailnet.AddressPrefixesConfiguredEvent;
import io.ledgerscale.domain.api.tailnet.ApiKeyReleasedEvent;
import io.ledgerscale.domain.api.tailnet.ApiKeyReservedEvent;
import io.ledgerscale.domain.api.tailnet.NodeNameReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeOwnerReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReleasedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReservedEvent;
import io.ledgerscale.domain.api.tailnet.PreAuthKeyReservedEvent;
import io.ledgerscale.domain.api.tailnet.TailnetStartedEvent;
import io.ledgerscale.domain.api.tailnet.UserNameReassignedEvent;
import io.ledgerscale.domain.api.tailnet.UserReleasedEvent;
import io.ledgerscale.domain.api.tailnet.UserReservedEvent;

/**
 * Summaries for the tailnet's own index events (mostly bookkeeping, see {@link Bookkeeping}) and
 * SSH checks, in words: without them an auditor saw "NodeReservedEvent on tailnet".
 */
final class TailnetDescriber {
  private TailnetDescriber() {}

  /** The description, or null when the event is not one of these. */
  static AuditDescription describe(Object p) {
    if (p instanceof TailnetStartedEvent e) {
      return new AuditDescription(
          "tailnet",
          "tailnet",
          none(),
          of("ipv4Range", e.ipv4Range(), "ipv6Range", e.ipv6Range()),
          "started the tailnet with ranges " + e.ipv4Range() + " and " + e.ipv6Range());
    }
    if (p instanceof AddressPrefixesConfiguredEvent e) {
      return new AuditDescription(
          "tailnet",
          "tailnet",
          none(),
          of(
              "ipv4Prefix",
              e.ipv4Prefix(),
              "ipv6Prefix",
              e.ipv6Prefix(),
              "allocation",
              e.allocation()),
          "new nodes get addresses from "
              + e.ipv4Prefix()
              + " and "
              + e.ipv6Prefix()
              + " ("
              + e.allocation()
              + ")");
    }
    if (p instanceof NodeReservedEvent e) {
      return new AuditDescription(
          "node",
          Long.toString(e.nodeId()),
          none(),
          of("givenName", e.givenName(), "ipv4", e.ipv4(), "ipv6", e.ipv6(), "userId", e.userId()),
          "reserved the name "
              + e.givenName()
              + " and addresses "
              + e.ipv4()
              + ", "
              + e.ipv6()
              + " for node "
              + e.nodeId());
    }
    if (p instanceof NodeReleasedEvent e) {
      return new AuditDescription(
          "node",
          Long.toString(e.nodeId()),
          of("givenName", e.givenName(), "ipv4", e.ipv4(), "ipv6", e.ipv6()),
          none(),
          "freed the name " + e.givenName() + " and the addresses of deleted node " + e.nodeId());
    }
    if (p instanceof NodeNameReassignedEvent e) {
      return new AuditDescription(
          "node",
          Long.toString(e.nodeId()),
          of("givenName", e.oldName()),
          of("givenName", e.newName()),
          "the name index moved node "
              + e.nodeId()
              + " from "
              + e.oldName()
              + " to "
              + e.newName());
    }
    if (p instanceof NodeOwnerReassignedEvent e) {
      return new AuditDescription(
          "node",
          Long.toString(e.nodeId()),
          of("userId", e.oldUserId()),
          of("userId", e.newUserId()),
          "the owner index moved node "
              + e.nodeId()
              + " from "
              + owner(e.oldOwner())
              + " to "
              + owner(e.newOwner()));
    }
    if (p instanceof UserReservedEvent e) {
      return new AuditDescription(
          "user",
          Long.toString(e.userId()),
          none(),
          of("name", e.name()),
          "reserved the user name " + e.name() + " for user " + e.userId());
    }
    if (p instanceof UserReleasedEvent e) {
      return new AuditDescription(
          "user",
          Long.toString(e.userId()),
          of("name", e.name()),
          none(),
          "freed the user name " + e.name() + " of deleted user " + e.userId());
    }
    if (p instanceof UserNameReassignedEvent e) {
      return new AuditDescription(
          "user",
          Long.toString(e.userId()),
          of("name", e.oldName()),
          of("name", e.newName()),
          "the name index moved user "
              + e.userId()
              + " from "
              + e.oldName()
              + " to "
              + e.newName());
    }
    if (p instanceof ApiKeyReservedEvent e) {
      return new AuditDescription(
          "apikey",
          Long.toString(e.apiKeyId()),
          none(),
          of("prefix", e.prefix()),
          "reserved the prefix " + e.prefix() + " for API key " + e.apiKeyId());
    }
    if (p instanceof ApiKeyReleasedEvent e) {
      return new AuditDescription(
          "apikey",
          Long.toString(e.apiKeyId()),
          of("prefix", e.prefix()),
          none(),
          "freed the prefix " + e.prefix() + " of deleted API key " + e.apiKeyId());
    }
    if (p instanceof PreAuthKeyReservedEvent e) {
      return new AuditDescription(
          "preauthkey",
          Long.toString(e.keyId()),
          none(),
          of("prefix", e.prefix()),
          "reserved the prefix " + e.prefix() + " for pre-auth key " + e.keyId());
    }
    if (p instanceof SshCheckRequestedEvent e) {
      return new AuditDescription(
          "sshcheck",
          e.checkId(),
          none(),
          of(
              "srcNodeId",
              e.srcNodeId(),
              "dstNodeId",
              e.dstNodeId(),
              "userId",
              e.userId(),
              "sshUser",
              e.sshUser(),
              "localUser",
              e.localUser(),
              "expiresAt",
              e.expiresAt()),
          "SSH from node "
              + e.srcNodeId()
              + " to "
              + e.localUser()
              + " on node "
              + e.dstNodeId()
              + " waits for user "
              + e.userId()
              + " to authenticate");
    }
    if (p instanceof SshCheckApprovedEvent e) {
      return new AuditDescription(
          "sshcheck",
          e.checkId(),
          of("status", "PENDING"),
          of("status", "APPROVED", "userId", e.userId()),
          "user " + e.userId() + " passed the SSH check");
    }
    if (p instanceof SshCheckRejectedEvent e) {
      return new AuditDescription(
          "sshcheck",
          e.checkId(),
          of("status", "PENDING"),
          of("status", "REJECTED", "reason", e.reason()),
          "SSH check refused: " + e.reason());
    }
    return null;
  }

  private static String owner(Owner owner) {
    return owner instanceof Owner.User u ? "user " + u.id() : "tagged devices";
  }
}
