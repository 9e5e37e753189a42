// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.node.Owner;
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
 * The tailnet's own index events (mostly bookkeeping, see {@link Bookkeeping}): without these an
 * auditor saw "NodeReservedEvent on tailnet".
 */
final class TailnetDescriptions {
  private TailnetDescriptions() {}

  static void register(Descriptions d) {
    d.on(TailnetStartedEvent.class, TailnetDescriptions::tailnetStarted);
    d.on(AddressPrefixesConfiguredEvent.class, TailnetDescriptions::addressPrefixesConfigured);
    d.on(NodeReservedEvent.class, TailnetDescriptions::nodeReserved);
    d.on(NodeReleasedEvent.class, TailnetDescriptions::nodeReleased);
    d.on(NodeNameReassignedEvent.class, TailnetDescriptions::nodeNameReassigned);
    d.on(NodeOwnerReassignedEvent.class, TailnetDescriptions::nodeOwnerReassigned);
    d.on(UserReservedEvent.class, TailnetDescriptions::userReserved);
    d.on(UserReleasedEvent.class, TailnetDescriptions::userReleased);
    d.on(UserNameReassignedEvent.class, TailnetDescriptions::userNameReassigned);
    d.on(ApiKeyReservedEvent.class, TailnetDescriptions::apiKeyReserved);
    d.on(ApiKeyReleasedEvent.class, TailnetDescriptions::apiKeyReleased);
    d.on(PreAuthKeyReservedEvent.class, TailnetDescriptions::preAuthKeyReserved);
  }

  private static AuditDescription tailnetStarted(TailnetStartedEvent e) {
    return new AuditDescription(
        "tailnet",
        "tailnet",
        none(),
        of("ipv4Range", e.ipv4Range(), "ipv6Range", e.ipv6Range()),
        "started the tailnet with ranges " + e.ipv4Range() + " and " + e.ipv6Range());
  }

  private static AuditDescription addressPrefixesConfigured(AddressPrefixesConfiguredEvent e) {
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

  private static AuditDescription nodeReserved(NodeReservedEvent e) {
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

  private static AuditDescription nodeReleased(NodeReleasedEvent e) {
    return new AuditDescription(
        "node",
        Long.toString(e.nodeId()),
        of("givenName", e.givenName(), "ipv4", e.ipv4(), "ipv6", e.ipv6()),
        none(),
        "freed the name " + e.givenName() + " and the addresses of deleted node " + e.nodeId());
  }

  private static AuditDescription nodeNameReassigned(NodeNameReassignedEvent e) {
    return new AuditDescription(
        "node",
        Long.toString(e.nodeId()),
        of("givenName", e.oldName()),
        of("givenName", e.newName()),
        "the name index moved node " + e.nodeId() + " from " + e.oldName() + " to " + e.newName());
  }

  private static AuditDescription nodeOwnerReassigned(NodeOwnerReassignedEvent e) {
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

  private static AuditDescription userReserved(UserReservedEvent e) {
    return new AuditDescription(
        "user",
        Long.toString(e.userId()),
        none(),
        of("name", e.name()),
        "reserved the user name " + e.name() + " for user " + e.userId());
  }

  private static AuditDescription userReleased(UserReleasedEvent e) {
    return new AuditDescription(
        "user",
        Long.toString(e.userId()),
        of("name", e.name()),
        none(),
        "freed the user name " + e.name() + " of deleted user " + e.userId());
  }

  private static AuditDescription userNameReassigned(UserNameReassignedEvent e) {
    return new AuditDescription(
        "user",
        Long.toString(e.userId()),
        of("name", e.oldName()),
        of("name", e.newName()),
        "the name index moved user " + e.userId() + " from " + e.oldName() + " to " + e.newName());
  }

  private static AuditDescription apiKeyReserved(ApiKeyReservedEvent e) {
    return new AuditDescription(
        "apikey",
        Long.toString(e.apiKeyId()),
        none(),
        of("prefix", e.prefix()),
        "reserved the prefix " + e.prefix() + " for API key " + e.apiKeyId());
  }

  private static AuditDescription apiKeyReleased(ApiKeyReleasedEvent e) {
    return new AuditDescription(
        "apikey",
        Long.toString(e.apiKeyId()),
        of("prefix", e.prefix()),
        none(),
        "freed the prefix " + e.prefix() + " of deleted API key " + e.apiKeyId());
  }

  private static AuditDescription preAuthKeyReserved(PreAuthKeyReservedEvent e) {
    return new AuditDescription(
        "preauthkey",
        Long.toString(e.keyId()),
        none(),
        of("prefix", e.prefix()),
        "reserved the prefix " + e.prefix() + " for pre-auth key " + e.keyId());
  }

  private static String owner(Owner owner) {
    return owner instanceof Owner.User u ? "user " + u.id() : "tagged devices";
  }
}
