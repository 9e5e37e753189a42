// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RotateNodeKeyCommand;
import io.ledgerscale.domain.node.Node;
import io.ledgerscale.domain.preauthkey.PreAuthKey;
import io.ledgerscale.domain.support.Secrets;
import io.ledgerscale.domain.tailnet.Tailnet;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/**
 * Moves a node to a new node key on its own request. Three proofs are needed: the machine key (the
 * Noise handshake) is the node's, the old node key is the node's current one, and a pre-auth key
 * that could have registered this node as it is now (its user, or tags for a tagged node)
 * re-authenticates it. Every check comes before the first change; a refusal is recorded on the
 * aggregate it concerns.
 */
public class NodeKeyRotation {

  private final Repository<Tailnet> tailnets;
  private final Repository<PreAuthKey> keys;
  private final Repository<Node> nodes;
  private final Clock clock;

  public NodeKeyRotation(
      Repository<Tailnet> tailnets,
      Repository<PreAuthKey> keys,
      Repository<Node> nodes,
      Clock clock) {
    this.tailnets = tailnets;
    this.keys = keys;
    this.nodes = nodes;
    this.clock = clock;
  }

  @CommandHandler
  public NodeRegistration handle(RotateNodeKeyCommand command) throws Exception {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    if (isBlank(command.machineKey())
        || isBlank(command.oldNodeKey())
        || isBlank(command.newNodeKey())) {
      throw tailnet.invoke(
          t ->
              t.refuse(
                  command,
                  "Node",
                  null,
                  RefusalKind.INVALID,
                  "a key rotation needs a machine key, the old node key and the new node key"));
    }
    if (command.oldNodeKey().equalsIgnoreCase(command.newNodeKey())) {
      throw tailnet.invoke(
          t ->
              t.refuse(
                  command, "Node", null, RefusalKind.INVALID, "the new node key is the old one"));
    }
    tailnet.execute(
        t ->
            t.requireWithinBounds(
                command,
                "Node",
                null,
                InputBounds.instant("requestedExpiry", command.requestedExpiry())));
    Secrets.PresentedKey presented =
        PresentedPreAuthKey.parse(tailnet, command, command.preAuthKey());
    Optional<Long> nodeId = tailnet.invoke(t -> t.nodeByMachineKey(command.machineKey()));
    if (nodeId.isEmpty()) {
      throw tailnet.invoke(
          t ->
              t.refuse(
                  command,
                  "Node",
                  null,
                  RefusalKind.NOT_FOUND,
                  "no node is registered for this machine"));
    }
    Aggregate<Node> node = nodes.load(AggregateIds.node(nodeId.get()));
    if (!command.oldNodeKey().equalsIgnoreCase(node.invoke(Node::nodeKey))) {
      // a stale or foreign OldNodeKey: the machine does not prove it holds this node's current key
      throw node.invoke(
          n ->
              n.refuse(
                  command,
                  RefusalKind.CREDENTIAL_REJECTED,
                  "the old node key is not node " + n.nodeId() + "'s current key"));
    }
    Aggregate<PreAuthKey> key =
        PresentedPreAuthKey.redeemable(tailnet, keys, command, presented, clock.instant());
    long keyId = key.invoke(PreAuthKey::keyId);
    Long owner = node.invoke(Node::userId);
    List<String> keyTags = key.invoke(PreAuthKey::aclTags);
    boolean entitles =
        keyTags.isEmpty() ? Objects.equals(key.invoke(PreAuthKey::userId), owner) : owner == null;
    if (!entitles) {
      // a rotation keeps the owner; moving a machine to another owner is a delete and a new
      // registration
      throw key.invoke(
          k ->
              k.refuse(
                  command,
                  RefusalKind.CONFLICT,
                  "the pre-auth key is for another owner than node " + nodeId.get()));
    }
    node.execute(n -> n.rotateKey(command.newNodeKey(), keyId, command.requestedExpiry()));
    key.execute(k -> k.markUsed(nodeId.get()));
    return node.invoke(Node::registration);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
