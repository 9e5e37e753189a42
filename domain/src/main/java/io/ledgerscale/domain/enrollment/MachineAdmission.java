// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.node.Node;
import io.ledgerscale.domain.tailnet.PolicyPools;
import io.ledgerscale.domain.tailnet.Tailnet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/**
 * The last step of every registration, once the credential and the tags are settled: a machine the
 * tailnet already knows for the same owner only gets its new node key; an unknown machine becomes a
 * new node.
 */
public final class MachineAdmission {

  /** What the client asked for and how it authenticated. */
  public record Applicant(
      String machineKey,
      String nodeKey,
      String hostname,
      Instant expiry,
      RegisterMethod method,
      Long preAuthKeyId,
      boolean ephemeral) {}

  private MachineAdmission() {}

  /**
   * Enrolls the applicant for the owner (null: tagged-devices, with the tags); a new node's IPv4
   * address comes from the policy's address {@code pools} for it (asked only for a new machine). A
   * machine registered to another owner is refused through {@code conflict}, which records the
   * refusal and returns the exception to throw; that happens before anything is applied.
   */
  public static NodeRegistration admit(
      Aggregate<Tailnet> tailnet,
      Repository<Node> nodes,
      Object command,
      Applicant applicant,
      Long userId,
      List<String> tags,
      Supplier<PolicyPools> pools,
      Function<String, RuntimeException> conflict)
      throws Exception {
    Optional<Long> known = tailnet.invoke(t -> t.nodeByMachineKey(applicant.machineKey()));
    if (known.isPresent()) {
      Aggregate<Node> node = nodes.load(AggregateIds.node(known.get()));
      if (!Objects.equals(node.invoke(Node::userId), userId)) {
        throw conflict.apply(
            "this machine is registered to another owner as node "
                + known.get()
                + "; delete that node first");
      }
      node.execute(
          n ->
              n.reauthenticate(
                  applicant.nodeKey(),
                  applicant.method(),
                  applicant.preAuthKeyId(),
                  applicant.expiry()));
      return node.invoke(Node::registration);
    }
    // only a new machine gets addresses, so only it needs the policy's pools
    PolicyPools addressPools = pools.get();
    Tailnet.NodeSlot slot =
        tailnet.invoke(
            t ->
                t.reserveNode(
                    command, applicant.machineKey(), applicant.hostname(), userId, addressPools));
    nodes.newInstance(
        () ->
            new Node(
                new NodeRegisteredEvent(
                    slot.nodeId(),
                    applicant.machineKey(),
                    applicant.nodeKey(),
                    applicant.hostname(),
                    slot.givenName(),
                    userId,
                    tags,
                    slot.ipv4(),
                    slot.ipv6(),
                    applicant.method(),
                    applicant.preAuthKeyId(),
                    applicant.ephemeral(),
                    applicant.expiry())));
    return new NodeRegistration(
        slot.nodeId(), userId, tags, slot.ipv4(), slot.ipv6(), slot.givenName());
  }
}
