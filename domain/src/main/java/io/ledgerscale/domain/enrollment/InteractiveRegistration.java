// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.Excerpts;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.registration.ApproveRegistrationCommand;
import io.ledgerscale.domain.api.registration.RefuseOidcLoginCommand;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.domain.node.Node;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policydocument.PolicyDocument;
import io.ledgerscale.domain.policydocument.TagPermission;
import io.ledgerscale.domain.policydocument.TailnetTopology;
import io.ledgerscale.domain.support.Names;
import io.ledgerscale.domain.support.Secrets;
import io.ledgerscale.domain.tailnet.Tailnet;
import io.ledgerscale.domain.user.PolicyUserDirectory;
import io.ledgerscale.domain.user.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

/**
 * Interactive registration: a client asks and gets an auth id; an admin approves it for a user
 * (checked against the policy's tagOwners for any tags the client asked for) and the node joins
 * with register method CLI.
 */
public class InteractiveRegistration {
  /** How long a request waits for an admin by default. */
  static final Duration DEFAULT_WAIT = Duration.ofMinutes(15);

  private final Repository<Tailnet> tailnets;
  private final Repository<RegistrationRequest> registrations;
  private final Repository<Node> nodes;
  private final Repository<User> users;
  private final Repository<PolicyDocument> policies;
  private final PolicyUserDirectory directory;
  private final Clock clock;

  public InteractiveRegistration(
      Repository<Tailnet> tailnets,
      Repository<RegistrationRequest> registrations,
      Repository<Node> nodes,
      Repository<User> users,
      Repository<PolicyDocument> policies,
      PolicyUserDirectory directory,
      Clock clock) {
    this.directory = directory;
    this.tailnets = tailnets;
    this.registrations = registrations;
    this.nodes = nodes;
    this.users = users;
    this.policies = policies;
    this.clock = clock;
  }

  /** Answers the auth id ({@code lskey-authreq-...}) the admin approves with. */
  @CommandHandler
  public String handle(RequestRegistrationCommand command) throws Exception {
    List<String> tags =
        command.requestedTags() == null
            ? List.of()
            : command.requestedTags().stream().distinct().toList();
    String problem = null;
    if (command.machineKey() == null
        || command.machineKey().isBlank()
        || command.nodeKey() == null
        || command.nodeKey().isBlank()) {
      problem = "a registration needs a machine key and a node key";
    } else if (tags.size() <= InputBounds.TAGS_MAX && Names.firstMalformedTag(tags) != null) {
      problem =
          "invalid tag '"
              + Excerpts.of(Names.firstMalformedTag(tags))
              + "': tags look like tag:name";
    } else {
      problem =
          InputBounds.first(
                  InputBounds.text("hostname", command.hostname(), InputBounds.HOSTNAME_MAX),
                  InputBounds.tags("requestedTags", tags),
                  InputBounds.instant("requestedExpiry", command.requestedExpiry()))
              .map(BoundViolation::message)
              .orElse(null);
    }
    if (problem != null) {
      String reason = problem;
      throw Tailnet.open(tailnets)
          .invoke(t -> t.refuse(command, "Registration", null, RefusalKind.INVALID, reason));
    }
    String authId = Secrets.newAuthId();
    Instant now = clock.instant();
    registrations.newInstance(
        () ->
            new RegistrationRequest(
                new RegistrationRequestedEvent(
                    authId,
                    command.machineKey(),
                    command.nodeKey(),
                    command.hostname(),
                    tags,
                    command.requestedExpiry(),
                    now.plus(DEFAULT_WAIT))));
    return authId;
  }

  /**
   * An approval that arrives through the OIDC login page registers the node with method OIDC (as
   * Headscale shows it); every other channel is an admin's CLI-style approval.
   */
  @CommandHandler
  public NodeRegistration handle(
      ApproveRegistrationCommand command,
      TailnetTopology topology,
      @MetaDataValue(AuditMetadata.ORIGIN) String origin)
      throws Exception {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    Aggregate<RegistrationRequest> request;
    try {
      request = registrations.load(AggregateIds.registration(command.authId()));
    } catch (AggregateNotFoundException e) {
      throw tailnet.invoke(
          t ->
              t.refuse(
                  command,
                  "Registration",
                  command.authId(),
                  RefusalKind.NOT_FOUND,
                  "no registration request " + command.authId()));
    }
    Instant now = clock.instant();
    request.execute(r -> r.checkApprovable(command, now));
    long userId = tailnet.invoke(t -> t.resolveUser(command, command.user()));
    List<String> requestedTags = request.invoke(RegistrationRequest::requestedTags);
    Long owner = userId;
    if (!requestedTags.isEmpty()) {
      Aggregate<User> user = users.load(AggregateIds.user(userId));
      TailnetUser actor =
          new TailnetUser(userId, user.invoke(User::name), user.invoke(User::email));
      Optional<TagPermission.Denial> denial =
          TagPermission.forUser(
              PolicyDocument.current(policies),
              actor,
              directory.naming(tailnet, actor),
              requestedTags);
      if (denial.isPresent()) {
        throw request.invoke(r -> r.refuse(command, denial.get().kind(), denial.get().reason()));
      }
      owner = null;
    }
    MachineAdmission.Applicant applicant =
        new MachineAdmission.Applicant(
            request.invoke(RegistrationRequest::machineKey),
            request.invoke(RegistrationRequest::nodeKey),
            request.invoke(RegistrationRequest::hostname),
            request.invoke(RegistrationRequest::requestedExpiry),
            Origin.OIDC.name().equals(origin) ? RegisterMethod.OIDC : RegisterMethod.CLI,
            null,
            false);
    Long nodeOwner = owner;
    NodeRegistration registration =
        MachineAdmission.admit(
            tailnet,
            nodes,
            command,
            applicant,
            owner,
            requestedTags,
            () -> NewNodePools.of(policies, topology, nodeOwner, requestedTags),
            reason -> request.invoke(r -> r.refuse(command, RefusalKind.CONFLICT, reason)));
    request.execute(r -> r.approved(userId, registration.nodeId()));
    return registration;
  }

  /**
   * Always refuses: the refusal is recorded on the registration (or the tailnet when there is
   * none).
   */
  @CommandHandler
  public void handle(RefuseOidcLoginCommand command) throws Exception {
    String reason =
        "OIDC login "
            + command.providerId()
            + (command.email() == null || command.email().isBlank()
                ? ""
                : " (" + Excerpts.of(command.email()) + ")")
            + " not admitted: "
            + command.reason();
    Aggregate<RegistrationRequest> request;
    try {
      request = registrations.load(AggregateIds.registration(command.authId()));
    } catch (AggregateNotFoundException e) {
      throw Tailnet.open(tailnets)
          .invoke(
              t ->
                  t.refuse(
                      command,
                      "Registration",
                      command.authId(),
                      RefusalKind.NOT_PERMITTED,
                      reason));
    }
    throw request.invoke(r -> r.refuse(command, RefusalKind.NOT_PERMITTED, reason));
  }
}
