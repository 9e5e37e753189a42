// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.enrollment.EnrollNodeCommand;
import io.ledgerscale.domain.api.enrollment.EnrollmentAnswer;
import io.ledgerscale.domain.api.enrollment.LogOutNodeCommand;
import io.ledgerscale.domain.api.node.DeleteNodeCommand;
import io.ledgerscale.domain.api.node.ExpireNodeCommand;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.RotateNodeKeyCommand;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.node.Node;
import io.ledgerscale.domain.node.NodeAdministration;
import io.ledgerscale.domain.policydocument.TailnetTopology;
import io.ledgerscale.domain.tailnet.Tailnet;
import java.time.Clock;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

/**
 * Every decision about a node's register request (ADR 0004), made on the aggregates:
 *
 * <ul>
 *   <li>with a pre-auth key and no OldNodeKey: a registration ({@link PreAuthKeyRegistration},
 *       which re-authenticates a machine it knows for the same owner);
 *   <li>with a pre-auth key and an OldNodeKey: the node holding the new key answered as it is when
 *       its key expired, else registered again; else a rotation ({@link NodeKeyRotation}) when a
 *       node holds the old key; else a registration;
 *   <li>without a credential: the node holding the key answered as it is, else a login is needed;
 *   <li>a logout: the node holding the key expires now, or is deleted when ephemeral.
 * </ul>
 *
 * A key held by another machine's node is refused whatever the request, and the attempt is recorded
 * on that node's stream ({@code ForeignNodeKeyRefusedEvent}). Which node holds a key comes from
 * {@link NodeKeyHolders}; that node's own aggregate decides. Like every handler that loads several
 * aggregates, the tailnet is loaded first.
 */
public class EnrollmentDecisions {
  /** The refusal's text, which clients show; the same whatever was asked. */
  static final String FOREIGN_NODE_KEY = "node key belongs to another machine";

  private final Repository<Tailnet> tailnets;
  private final Repository<Node> nodes;
  private final PreAuthKeyRegistration registration;
  private final NodeKeyRotation rotation;
  private final NodeAdministration administration;
  private final Clock clock;

  public EnrollmentDecisions(
      Repository<Tailnet> tailnets,
      Repository<Node> nodes,
      PreAuthKeyRegistration registration,
      NodeKeyRotation rotation,
      NodeAdministration administration,
      Clock clock) {
    this.tailnets = tailnets;
    this.nodes = nodes;
    this.registration = registration;
    this.rotation = rotation;
    this.administration = administration;
    this.clock = clock;
  }

  @CommandHandler
  public EnrollmentAnswer handle(
      EnrollNodeCommand command, NodeKeyHolders holders, TailnetTopology topology)
      throws Exception {
    if (command.preAuthKey() == null || command.preAuthKey().isBlank()) {
      return resume(command, holders);
    }
    RegisterNodeWithPreAuthKeyCommand register =
        new RegisterNodeWithPreAuthKeyCommand(
            command.machineKey(),
            command.nodeKey(),
            command.hostname(),
            command.requestedTags(),
            command.preAuthKey(),
            command.requestedExpiry());
    if (command.oldNodeKey() == null) {
      // a first login: no node holds a key the client just made, so nothing is looked up
      return new EnrollmentAnswer.Enrolled(registration.handle(register, topology));
    }
    // looked up before the tailnet is loaded: no lock is held while the read model answers
    Optional<Long> holder = holders.holderOf(command.nodeKey(), false);
    Optional<Long> oldHolder =
        holder.isPresent() ? Optional.empty() : holders.holderOf(command.oldNodeKey(), false);
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    Optional<Aggregate<Node>> current = holding(holder, command.nodeKey());
    if (current.isPresent()) {
      Aggregate<Node> node = current.get();
      refuseUnlessOwn(command, command.machineKey(), node);
      if (expired(node)) {
        return known(tailnet, node);
      }
      return new EnrollmentAnswer.Enrolled(registration.handle(register, topology));
    }
    if (oldHolder.isPresent()) {
      // whose the old key is, and whether it is current, is the rotation's to check and record
      return new EnrollmentAnswer.Enrolled(
          rotation.handle(
              new RotateNodeKeyCommand(
                  command.machineKey(),
                  command.oldNodeKey(),
                  command.nodeKey(),
                  command.preAuthKey(),
                  command.requestedExpiry())));
    }
    return new EnrollmentAnswer.Enrolled(registration.handle(register, topology));
  }

  /** A tailscaled restart registers again without credentials; a known node is answered as is. */
  private EnrollmentAnswer resume(EnrollNodeCommand command, NodeKeyHolders holders) {
    Optional<Long> holder = holders.holderOf(command.nodeKey(), false);
    if (holder.isEmpty()) {
      return new EnrollmentAnswer.LoginRequired();
    }
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    Optional<Aggregate<Node>> node = holding(holder, command.nodeKey());
    if (node.isEmpty()) {
      return new EnrollmentAnswer.LoginRequired();
    }
    refuseUnlessOwn(command, command.machineKey(), node.get());
    return known(tailnet, node.get());
  }

  /**
   * The node's key expires now (an ephemeral node is deleted instead). A key no node holds changes
   * nothing; the client forgets its state whatever the answer.
   */
  @CommandHandler
  public EnrollmentAnswer handle(LogOutNodeCommand command, NodeKeyHolders holders) {
    // a logout wrongly taken for an unknown key would leave the node logged in: "none" needs proof
    Optional<Long> holder = holders.holderOf(command.nodeKey(), true);
    if (holder.isEmpty()) {
      return new EnrollmentAnswer.LoggedOut(null, null);
    }
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    Optional<Aggregate<Node>> held = holding(holder, command.nodeKey());
    if (held.isEmpty()) {
      return new EnrollmentAnswer.LoggedOut(null, null);
    }
    Aggregate<Node> node = held.get();
    refuseUnlessOwn(command, command.machineKey(), node);
    long nodeId = node.invoke(Node::nodeId);
    EnrollmentAnswer.KnownNode owner = known(tailnet, node);
    if (node.invoke(Node::ephemeral)) {
      administration.handle(new DeleteNodeCommand(nodeId));
    } else {
      node.execute(n -> n.handle(new ExpireNodeCommand(nodeId, null, false), clock));
    }
    return new EnrollmentAnswer.LoggedOut(owner.userId(), owner.userName());
  }

  /** The node {@code holder} names, if it still holds {@code nodeKey} by its own events. */
  private Optional<Aggregate<Node>> holding(Optional<Long> holder, String nodeKey) {
    if (holder.isEmpty()) {
      return Optional.empty();
    }
    Aggregate<Node> node;
    try {
      node = nodes.load(AggregateIds.node(holder.get()));
    } catch (AggregateNotFoundException gone) {
      return Optional.empty();
    }
    boolean holds =
        !node.invoke(Node::deleted) && nodeKey.equalsIgnoreCase(node.invoke(Node::nodeKey));
    return holds ? Optional.of(node) : Optional.empty();
  }

  /** Refuses, recorded on the node's stream, a machine presenting another machine's node key. */
  private static void refuseUnlessOwn(Object command, String machineKey, Aggregate<Node> node) {
    if (!node.invoke(Node::machineKey).equals(machineKey)) {
      throw node.invoke(n -> n.refuseForeignNodeKey(command, FOREIGN_NODE_KEY));
    }
  }

  private boolean expired(Aggregate<Node> node) {
    return node.invoke(n -> n.expiry() != null && !n.expiry().isAfter(clock.instant()));
  }

  private EnrollmentAnswer.KnownNode known(Aggregate<Tailnet> tailnet, Aggregate<Node> node) {
    Long userId = node.invoke(Node::userId);
    long shownId = userId == null ? TaggedDevices.USER_ID : userId;
    String userName =
        userId == null
            ? TaggedDevices.USER_NAME
            : tailnet.invoke(t -> t.userName(userId)).orElse("");
    return new EnrollmentAnswer.KnownNode(
        node.invoke(Node::nodeId), shownId, userName, expired(node));
  }
}
