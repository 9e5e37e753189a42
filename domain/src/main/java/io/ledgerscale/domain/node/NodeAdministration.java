// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.node.DeleteNodeCommand;
import io.ledgerscale.domain.api.node.RenameNodeCommand;
import io.ledgerscale.domain.api.node.SetNodeTagsCommand;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.node.TransferNodeCommand;
import io.ledgerscale.domain.policy.TagOwners;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policydocument.PolicyDocument;
import io.ledgerscale.domain.policydocument.TagPermission;
import io.ledgerscale.domain.tailnet.Tailnet;
import io.ledgerscale.domain.user.PolicyUserDirectory;
import io.ledgerscale.domain.user.User;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/** Admin changes to nodes that the tailnet's indexes must follow: tags, owner, name, deletion. */
public class NodeAdministration {

  private final Repository<Tailnet> tailnets;
  private final Repository<Node> nodes;
  private final Repository<User> users;
  private final Repository<PolicyDocument> policies;
  private final PolicyUserDirectory directory;

  public NodeAdministration(
      Repository<Tailnet> tailnets,
      Repository<Node> nodes,
      Repository<User> users,
      Repository<PolicyDocument> policies,
      PolicyUserDirectory directory) {
    this.directory = directory;
    this.tailnets = tailnets;
    this.nodes = nodes;
    this.users = users;
    this.policies = policies;
  }

  /**
   * A USER actor may set only tags it owns (checked by its name, and its e-mail when it is a known
   * user); an API_KEY or SYSTEM actor is an admin and may set any tag the policy declares; nobody
   * else may set tags.
   */
  @CommandHandler
  public void handle(
      SetNodeTagsCommand command,
      @MetaDataValue(AuditMetadata.ACTOR_TYPE) String actorType,
      @MetaDataValue(AuditMetadata.ACTOR_NAME) String actorName) {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    tailnet.execute(t -> t.requireNode(command, command.nodeId()));
    Aggregate<Node> node = nodes.load(AggregateIds.node(command.nodeId()));
    List<String> tags =
        command.tags() == null ? List.of() : command.tags().stream().distinct().toList();
    if (tags.isEmpty()) {
      throw node.invoke(
          n ->
              n.refuse(
                  command,
                  RefusalKind.INVALID,
                  "a tagged node needs at least one tag; transfer it to a user to untag it"));
    }
    TagOwners owners = PolicyDocument.current(policies);
    Optional<TagPermission.Denial> denial;
    if (ActorType.USER.name().equals(actorType)) {
      Optional<Long> userId = tailnet.invoke(t -> t.userIdByName(actorName));
      // an actor that is no (longer a) user is named by no token
      TailnetUser actor =
          userId.isPresent()
              ? new TailnetUser(
                  userId.get(),
                  actorName,
                  users.load(AggregateIds.user(userId.get())).invoke(User::email))
              : new TailnetUser(-1, actorName, null);
      denial = TagPermission.forUser(owners, actor, directory.naming(tailnet, actor), tags);
    } else if (ActorType.API_KEY.name().equals(actorType)
        || ActorType.SYSTEM.name().equals(actorType)) {
      denial = TagPermission.forAdmin(owners, tags);
    } else {
      denial =
          Optional.of(
              new TagPermission.Denial(
                  RefusalKind.NOT_PERMITTED,
                  "only a user or an admin may set tags, not "
                      + (actorType == null ? "an unknown actor" : actorType)));
    }
    if (denial.isPresent()) {
      throw node.invoke(n -> n.refuse(command, denial.get().kind(), denial.get().reason()));
    }
    if (node.invoke(n -> n.setTags(tags))) {
      tailnet.execute(t -> t.reassignOwner(command.nodeId(), null));
    }
  }

  /**
   * Moves a node to a user. A tagged node loses its tags: a node is owned by a user or by tags, not
   * both.
   */
  @CommandHandler
  public void handle(TransferNodeCommand command) {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    tailnet.execute(
        t -> {
          t.requireNode(command, command.nodeId());
          if (command.toUserId() == TaggedDevices.USER_ID) {
            throw t.refuse(
                command,
                "Node",
                command.nodeId(),
                RefusalKind.INVALID,
                "tag the node to hand it to " + TaggedDevices.USER_NAME);
          }
          t.requireUser(command, command.toUserId());
          t.requireWithinBounds(
              command, "Node", command.nodeId(), InputBounds.reason("reason", command.reason()));
        });
    Aggregate<Node> node = nodes.load(AggregateIds.node(command.nodeId()));
    if (node.invoke(n -> n.transfer(command.toUserId(), command.reason()))) {
      tailnet.execute(t -> t.reassignOwner(command.nodeId(), command.toUserId()));
    }
  }

  @CommandHandler
  public void handle(RenameNodeCommand command) {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    if (tailnet.invoke(t -> t.renameNode(command, command.nodeId(), command.newName()))) {
      nodes.load(AggregateIds.node(command.nodeId())).execute(n -> n.rename(command.newName()));
    }
  }

  /** Deletes a node; its name, machine key and addresses become free. */
  @CommandHandler
  public void handle(DeleteNodeCommand command) {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    tailnet.execute(t -> t.requireNode(command, command.nodeId()));
    Aggregate<Node> node = nodes.load(AggregateIds.node(command.nodeId()));
    node.execute(Node::delete);
    tailnet.execute(
        t ->
            t.releaseNode(
                command.nodeId(),
                node.invoke(Node::machineKey),
                node.invoke(Node::ipv4),
                node.invoke(Node::ipv6)));
  }
}
