// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.node.Node;
import io.ledgerscale.domain.policy.TagOwners;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policydocument.PolicyDocument;
import io.ledgerscale.domain.policydocument.TagPermission;
import io.ledgerscale.domain.policydocument.TailnetTopology;
import io.ledgerscale.domain.preauthkey.PreAuthKey;
import io.ledgerscale.domain.support.Secrets;
import io.ledgerscale.domain.tailnet.Tailnet;
import io.ledgerscale.domain.user.PolicyUserDirectory;
import io.ledgerscale.domain.user.User;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/**
 * Registers nodes that present a pre-auth key. Every check comes before the first change, so a
 * refused registration leaves only its refusal event behind.
 */
public class PreAuthKeyRegistration {

  private final Repository<Tailnet> tailnets;
  private final Repository<PreAuthKey> keys;
  private final Repository<Node> nodes;
  private final Repository<User> users;
  private final Repository<PolicyDocument> policies;
  private final PolicyUserDirectory directory;
  private final Clock clock;

  public PreAuthKeyRegistration(
      Repository<Tailnet> tailnets,
      Repository<PreAuthKey> keys,
      Repository<Node> nodes,
      Repository<User> users,
      Repository<PolicyDocument> policies,
      PolicyUserDirectory directory,
      Clock clock) {
    this.directory = directory;
    this.tailnets = tailnets;
    this.keys = keys;
    this.nodes = nodes;
    this.users = users;
    this.policies = policies;
    this.clock = clock;
  }

  @CommandHandler
  public NodeRegistration handle(
      RegisterNodeWithPreAuthKeyCommand command, TailnetTopology topology) throws Exception {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    Secrets.PresentedKey presented =
        PresentedPreAuthKey.parse(tailnet, command, command.preAuthKey());
    if (isBlank(command.machineKey()) || isBlank(command.nodeKey())) {
      throw tailnet.invoke(
          t ->
              t.refuse(
                  command,
                  "Node",
                  null,
                  RefusalKind.INVALID,
                  "a registration needs a machine key and a node key"));
    }
    tailnet.execute(
        t ->
            t.requireWithinBounds(
                command,
                "Node",
                null,
                InputBounds.first(
                    InputBounds.text("hostname", command.hostname(), InputBounds.HOSTNAME_MAX),
                    InputBounds.tags("requestedTags", command.requestedTags()),
                    InputBounds.instant("requestedExpiry", command.requestedExpiry()))));
    Instant now = clock.instant();
    Aggregate<PreAuthKey> key =
        PresentedPreAuthKey.redeemable(tailnet, keys, command, presented, now);
    long keyId = key.invoke(PreAuthKey::keyId);

    Long keyUserId = key.invoke(PreAuthKey::userId);
    List<String> keyTags = key.invoke(PreAuthKey::aclTags);
    List<String> requested =
        command.requestedTags() == null
            ? List.of()
            : command.requestedTags().stream().distinct().toList();
    Long owner;
    List<String> tags;
    if (!keyTags.isEmpty()) {
      // the admin who made the key chose the tags; the client need not ask for them. They must
      // still be declared now: a policy may have dropped one since the key was made
      Optional<TagPermission.Denial> undeclared =
          TagPermission.forAdmin(PolicyDocument.current(policies), keyTags);
      if (undeclared.isPresent()) {
        throw key.invoke(
            k -> k.refuse(command, undeclared.get().kind(), undeclared.get().reason()));
      }
      owner = null;
      tags = keyTags;
    } else {
      Optional<String> userName = tailnet.invoke(t -> t.userName(keyUserId));
      if (userName.isEmpty()) {
        throw key.invoke(
            k ->
                k.refuse(
                    command,
                    RefusalKind.CREDENTIAL_REJECTED,
                    "the pre-auth key's user no longer exists"));
      }
      if (requested.isEmpty()) {
        owner = keyUserId;
        tags = List.of();
      } else {
        String email = users.load(AggregateIds.user(keyUserId)).invoke(User::email);
        TagOwners owners = PolicyDocument.current(policies);
        TailnetUser actor = new TailnetUser(keyUserId, userName.get(), email);
        Optional<TagPermission.Denial> denial =
            TagPermission.forUser(owners, actor, directory.naming(tailnet, actor), requested);
        if (denial.isPresent()) {
          throw key.invoke(k -> k.refuse(command, denial.get().kind(), denial.get().reason()));
        }
        owner = null;
        tags = requested;
      }
    }
    boolean ephemeral = key.invoke(PreAuthKey::ephemeral);
    MachineAdmission.Applicant applicant =
        new MachineAdmission.Applicant(
            command.machineKey(),
            command.nodeKey(),
            command.hostname(),
            command.requestedExpiry(),
            RegisterMethod.AUTH_KEY,
            keyId,
            ephemeral);
    Long nodeOwner = owner;
    List<String> nodeTags = tags;
    NodeRegistration registration =
        MachineAdmission.admit(
            tailnet,
            nodes,
            command,
            applicant,
            owner,
            tags,
            () -> NewNodePools.of(policies, topology, nodeOwner, nodeTags),
            reason -> key.invoke(k -> k.refuse(command, RefusalKind.CONFLICT, reason)));
    key.execute(k -> k.markUsed(registration.nodeId()));
    return registration;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
