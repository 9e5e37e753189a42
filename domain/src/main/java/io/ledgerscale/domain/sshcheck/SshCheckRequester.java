// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.sshcheck;

import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.sshcheck.RequestSshCheckCommand;
import io.ledgerscale.domain.api.sshcheck.SshCheckRequestedEvent;
import io.ledgerscale.domain.support.Secrets;
import io.ledgerscale.domain.tailnet.Tailnet;
import java.time.Clock;
import java.time.Duration;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/**
 * Opens SSH checks. The check belongs to the source node's owner, read from the tailnet registry; a
 * tagged source has no person to ask, so it cannot be checked.
 */
public class SshCheckRequester {
  /** As long as tailscaled holds the connection open waiting for the check. */
  static final Duration WAIT = Duration.ofMinutes(30);

  private final Repository<Tailnet> tailnets;
  private final Repository<SshCheck> checks;
  private final Clock clock;

  public SshCheckRequester(Repository<Tailnet> tailnets, Repository<SshCheck> checks, Clock clock) {
    this.tailnets = tailnets;
    this.checks = checks;
    this.clock = clock;
  }

  /** Answers the check id. */
  @CommandHandler
  public String handle(RequestSshCheckCommand command) throws Exception {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    tailnet.execute(t -> t.requireNode(command, command.dstNodeId()));
    tailnet.execute(t -> t.requireNode(command, command.srcNodeId()));
    tailnet.execute(
        t ->
            t.requireWithinBounds(
                command,
                "Node",
                command.srcNodeId(),
                InputBounds.first(
                    InputBounds.text("sshUser", command.sshUser(), InputBounds.SSH_USER_MAX),
                    InputBounds.text("localUser", command.localUser(), InputBounds.SSH_USER_MAX))));
    Long owner = tailnet.invoke(t -> t.ownerOf(command.srcNodeId()));
    if (owner == null) {
      throw tailnet.invoke(
          t ->
              t.refuse(
                  command,
                  "Node",
                  command.srcNodeId(),
                  RefusalKind.NOT_PERMITTED,
                  "node "
                      + command.srcNodeId()
                      + " is tagged: an SSH check needs a device owned by a user"));
    }
    String checkId = Secrets.newSshCheckId();
    checks.newInstance(
        () ->
            new SshCheck(
                new SshCheckRequestedEvent(
                    checkId,
                    command.srcNodeId(),
                    command.dstNodeId(),
                    owner,
                    command.sshUser(),
                    command.localUser(),
                    clock.instant().plus(WAIT))));
    return checkId;
  }
}
