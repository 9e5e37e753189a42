// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.TagOwners;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.support.Refusals;
import io.ledgerscale.domain.support.Secrets;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.modelling.command.Repository;

/**
 * The policy document (singleton id {@code policy}). The HuJSON text is kept verbatim, comments and
 * all, because what an admin wrote is what the audit trail must show; each version carries its hash
 * and a diff.
 */
public class PolicyDocument {

  @AggregateIdentifier private String id;
  private long version;
  private String policy;
  private String sha256;

  /** Parsed once per loaded version: tag and route commands ask for it on every call. */
  private transient Policy parsedPolicy;

  /** Required by Axon to rebuild the aggregate from its events. */
  protected PolicyDocument() {}

  /**
   * Answers the version in force afterwards. Setting the text already in force changes nothing. The
   * text is validated by the full policy engine against the tailnet as it is now, and its {@code
   * tests} must pass.
   */
  @CommandHandler
  @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
  public long handle(
      SetPolicyCommand command,
      TailnetTopology topology,
      PolicySource source,
      @MetaDataValue(AuditMetadata.ACTOR_TYPE) String actorType,
      @MetaDataValue(AuditMetadata.ORIGIN) String origin) {
    if (source.fromFile()
        && !(ActorType.SYSTEM.name().equals(actorType) && Origin.SYSTEM.name().equals(origin))) {
      throw Refusals.refuse(
          command,
          "Policy",
          AggregateIds.POLICY,
          RefusalKind.CONFLICT,
          // Headscale's words first: Headplane looks for "update is disabled" to show the policy
          // as read-only
          "update is disabled for modes other than 'database': the policy is read from the file "
              + source.path()
              + " (policy.mode: file): edit that file, or set "
              + "policy.mode: database to manage the policy through the API");
    }
    String text = command.policy();
    if (text == null || text.isBlank()) {
      throw Refusals.refuse(
          command, "Policy", AggregateIds.POLICY, RefusalKind.INVALID, "the policy is empty");
    }
    Refusals.requireWithinBounds(
        command, "Policy", AggregateIds.POLICY, InputBounds.policy("policy", text));
    try {
      PolicyEngine.accept(text, topology.current());
    } catch (IllegalArgumentException e) {
      throw Refusals.refuse(
          command, "Policy", AggregateIds.POLICY, RefusalKind.INVALID, e.getMessage());
    }
    String hash = Secrets.sha256(text);
    if (hash.equals(sha256)) {
      return version;
    }
    apply(new PolicyChangedEvent(version + 1, text, hash, sha256, LineDiff.between(policy, text)));
    return version;
  }

  /** Who may apply which tag under this version. */
  public TagOwners tagOwners() {
    return TagOwners.of(parsed());
  }

  /** The version in force, parsed (allow-all when none was set). */
  public Policy parsed() {
    if (parsedPolicy == null) {
      parsedPolicy = policy == null ? Policy.ALLOW_ALL : lastParsed(policy);
    }
    return parsedPolicy;
  }

  private record Parsed(String text, Policy policy) {}

  /**
   * The policy last parsed, by its text. The document is loaded afresh by every registration (see
   * where the domain is wired), and parsing the same text again for each was most of that load.
   */
  private static volatile Parsed lastParsed;

  private static Policy lastParsed(String text) {
    Parsed last = lastParsed;
    if (last != null && last.text().equals(text)) {
      return last.policy();
    }
    Policy parsed = Policy.parse(text);
    lastParsed = new Parsed(text, parsed);
    return parsed;
  }

  /**
   * The policy in force: loads it in the current unit of work, or allow-all when no policy was set.
   */
  public static Policy currentPolicy(Repository<PolicyDocument> repository) {
    try {
      return repository.load(AggregateIds.POLICY).invoke(PolicyDocument::parsed);
    } catch (AggregateNotFoundException noPolicyYet) {
      return Policy.ALLOW_ALL;
    }
  }

  /**
   * The tag owners in force: loads the policy in the current unit of work, or none when no policy
   * was set.
   */
  public static TagOwners current(Repository<PolicyDocument> repository) {
    try {
      return repository.load(AggregateIds.POLICY).invoke(PolicyDocument::tagOwners);
    } catch (AggregateNotFoundException noPolicyYet) {
      return TagOwners.none();
    }
  }

  @EventSourcingHandler
  void on(PolicyChangedEvent event) {
    id = AggregateIds.POLICY;
    version = event.version();
    policy = event.policy();
    sha256 = event.sha256();
    parsedPolicy = null;
  }

  @EventSourcingHandler
  void on(CommandRefusedEvent event) {
    // a refused first version still opens the stream
    id = AggregateIds.POLICY;
  }
}
