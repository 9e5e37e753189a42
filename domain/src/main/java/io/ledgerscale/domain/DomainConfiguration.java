// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain;

import io.ledgerscale.domain.apikey.ApiKey;
import io.ledgerscale.domain.apikey.ApiKeyCommandHandler;
import io.ledgerscale.domain.approval.ApprovalDecisions;
import io.ledgerscale.domain.approval.ApprovalRequest;
import io.ledgerscale.domain.auditread.AuditRead;
import io.ledgerscale.domain.deadletter.DeadLetterDecisionRecorder;
import io.ledgerscale.domain.deadletter.DeadLetterDecisions;
import io.ledgerscale.domain.enrollment.EnrollmentDecisions;
import io.ledgerscale.domain.enrollment.InteractiveRegistration;
import io.ledgerscale.domain.enrollment.NodeKeyHolders;
import io.ledgerscale.domain.enrollment.NodeKeyRotation;
import io.ledgerscale.domain.enrollment.PreAuthKeyRegistration;
import io.ledgerscale.domain.enrollment.RegistrationRequest;
import io.ledgerscale.domain.node.Node;
import io.ledgerscale.domain.node.NodeAdministration;
import io.ledgerscale.domain.node.ReportedHostnames;
import io.ledgerscale.domain.node.RouteAutoApprovalRecorder;
import io.ledgerscale.domain.node.RouteAutoApprovalTrigger;
import io.ledgerscale.domain.policydocument.PolicyDocument;
import io.ledgerscale.domain.policydocument.PolicySource;
import io.ledgerscale.domain.policydocument.TailnetTopology;
import io.ledgerscale.domain.preauthkey.PreAuthKey;
import io.ledgerscale.domain.preauthkey.PreAuthKeyIssuer;
import io.ledgerscale.domain.sshcheck.SshCheck;
import io.ledgerscale.domain.sshcheck.SshCheckRequester;
import io.ledgerscale.domain.support.AuditCorrelation;
import io.ledgerscale.domain.support.RefusalsCommit;
import io.ledgerscale.domain.tailnet.Tailnet;
import io.ledgerscale.domain.tailnet.TailnetAddressing;
import io.ledgerscale.domain.user.PolicyUserDirectory;
import io.ledgerscale.domain.user.User;
import io.ledgerscale.domain.user.UserCommandHandler;
import java.time.Clock;
import java.util.List;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;

/**
 * The domain's part of an Axon configuration, so the server (from a {@code ConfigurerModule}) and
 * the in-JVM tests wire it the same way. It is the one class that knows every feature package, so
 * it sits above them in the module's root package; no package of the domain imports it. Besides
 * this, the command bus needs {@link RefusalsCommit} and {@link AuditCorrelation#providers()}, and
 * a {@link Clock} must be resolvable as a handler parameter (a Spring bean, or a configuration
 * component) for the aggregates' own handlers.
 */
public final class DomainConfiguration {

  /** Every event-sourced aggregate of the domain. */
  public static final List<Class<?>> AGGREGATES =
      List.of(
          Tailnet.class,
          User.class,
          Node.class,
          PreAuthKey.class,
          ApiKey.class,
          RegistrationRequest.class,
          PolicyDocument.class,
          SshCheck.class,
          DeadLetterDecisions.class,
          AuditRead.class,
          ApprovalRequest.class);

  private DomainConfiguration() {}

  /**
   * Registers each aggregate with Axon's defaults (skip this to configure them yourself, e.g.
   * snapshots).
   */
  public static Configurer registerAggregates(Configurer configurer) {
    AGGREGATES.forEach(configurer::configureAggregate);
    return configurer;
  }

  /** Registers the external command handlers, built from the configuration's repositories. */
  public static Configurer registerCommandHandlers(Configurer configurer, Clock clock) {
    return configurer
        .registerCommandHandler(c -> new TailnetAddressing(c.repository(Tailnet.class)))
        .registerCommandHandler(
            c -> new UserCommandHandler(c.repository(Tailnet.class), c.repository(User.class)))
        .registerCommandHandler(
            c ->
                new PreAuthKeyIssuer(
                    c.repository(Tailnet.class),
                    c.repository(PreAuthKey.class),
                    c.repository(PolicyDocument.class),
                    clock))
        .registerCommandHandler(
            c ->
                new ApiKeyCommandHandler(
                    c.repository(Tailnet.class), c.repository(ApiKey.class), clock))
        .registerCommandHandler(c -> preAuthKeyRegistration(c, clock))
        .registerCommandHandler(c -> nodeKeyRotation(c, clock))
        .registerCommandHandler(DomainConfiguration::nodeAdministration)
        .registerCommandHandler(
            c ->
                new EnrollmentDecisions(
                    c.repository(Tailnet.class),
                    c.repository(Node.class),
                    preAuthKeyRegistration(c, clock),
                    nodeKeyRotation(c, clock),
                    nodeAdministration(c),
                    clock))
        .registerCommandHandler(
            c ->
                new InteractiveRegistration(
                    c.repository(Tailnet.class),
                    c.repository(RegistrationRequest.class),
                    c.repository(Node.class),
                    c.repository(User.class),
                    c.repository(PolicyDocument.class),
                    new PolicyUserDirectory(c.eventStore()),
                    clock))
        .registerCommandHandler(
            c -> new ReportedHostnames(c.repository(Tailnet.class), c.repository(Node.class)))
        .registerCommandHandler(
            c -> new DeadLetterDecisionRecorder(c.repository(DeadLetterDecisions.class)))
        .registerCommandHandler(
            c ->
                new ApprovalDecisions(
                    c.repository(ApprovalRequest.class), c::commandGateway, clock))
        .registerCommandHandler(
            c ->
                new SshCheckRequester(
                    c.repository(Tailnet.class), c.repository(SshCheck.class), clock))
        .registerCommandHandler(
            c ->
                new RouteAutoApprovalRecorder(
                    c.repository(Tailnet.class),
                    c.repository(Node.class),
                    c.repository(User.class),
                    c.repository(PolicyDocument.class),
                    new PolicyUserDirectory(c.eventStore())));
  }

  private static PreAuthKeyRegistration preAuthKeyRegistration(Configuration c, Clock clock) {
    return new PreAuthKeyRegistration(
        c.repository(Tailnet.class),
        c.repository(PreAuthKey.class),
        c.repository(Node.class),
        c.repository(User.class),
        c.repository(PolicyDocument.class),
        new PolicyUserDirectory(c.eventStore()),
        clock);
  }

  private static NodeKeyRotation nodeKeyRotation(Configuration c, Clock clock) {
    return new NodeKeyRotation(
        c.repository(Tailnet.class),
        c.repository(PreAuthKey.class),
        c.repository(Node.class),
        clock);
  }

  private static NodeAdministration nodeAdministration(Configuration c) {
    return new NodeAdministration(
        c.repository(Tailnet.class),
        c.repository(Node.class),
        c.repository(User.class),
        c.repository(PolicyDocument.class),
        new PolicyUserDirectory(c.eventStore()));
  }

  /**
   * Registers the domain's own event handlers (route auto-approval). Setting a policy also needs a
   * {@link TailnetTopology} and a {@link PolicySource}, and a node's register request a {@link
   * NodeKeyHolders}, resolvable as handler parameters (Spring beans, or configuration components).
   */
  public static Configurer registerEventHandlers(Configurer configurer) {
    configurer
        .eventProcessing()
        .registerEventHandler(c -> new RouteAutoApprovalTrigger(c.commandGateway()));
    return configurer;
  }
}
