// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.approval;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.approval.DecideApprovalCommand;
import io.ledgerscale.domain.api.approval.ExpireApprovalRequestCommand;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

/**
 * Decides a four-eyes request and, on approval, runs the held change in the same unit of work, as
 * the approver's (the change's events carry the approver as actor and the decision's correlation
 * id). A change that is then refused leaves the approval and the refusal recorded; any other
 * failure rolls both back.
 */
public class ApprovalDecisions {
  private final Repository<ApprovalRequest> requests;
  private final Supplier<CommandGateway> commands;
  private final Clock clock;

  public ApprovalDecisions(
      Repository<ApprovalRequest> requests, Supplier<CommandGateway> commands, Clock clock) {
    this.requests = requests;
    this.commands = commands;
    this.clock = clock;
  }

  /** Answers whether this recorded the expiry (see the command). */
  @CommandHandler
  public boolean handle(ExpireApprovalRequestCommand command) {
    Aggregate<ApprovalRequest> request;
    try {
      request = requests.load(AggregateIds.approval(command.requestId()));
    } catch (AggregateNotFoundException e) {
      return false;
    }
    Instant now = clock.instant();
    return Boolean.TRUE.equals(request.invoke(r -> r.expire(now)));
  }

  /** Answers what the held change answered (null for a rejection). */
  @CommandHandler
  public Object handle(DecideApprovalCommand command, MetaData metaData) throws Exception {
    Aggregate<ApprovalRequest> request;
    try {
      request = requests.load(AggregateIds.approval(command.requestId()));
    } catch (AggregateNotFoundException e) {
      throw new CommandRefusedException(
          RefusalKind.NOT_FOUND, "no approval request " + command.requestId());
    }
    Actor decider =
        new Actor(
            ActorType.valueOf(String.valueOf(metaData.get(AuditMetadata.ACTOR_TYPE))),
            String.valueOf(metaData.get(AuditMetadata.ACTOR_ID)),
            String.valueOf(metaData.get(AuditMetadata.ACTOR_NAME)));
    Object held = request.invoke(r -> r.decide(command, decider, clock.instant()));
    if (held == null) {
      return null;
    }
    Map<String, Object> audit = new HashMap<>();
    for (String key : AuditMetadata.KEYS) {
      audit.put(key, metaData.get(key));
    }
    return commands
        .get()
        .sendAndWait(GenericCommandMessage.asCommandMessage(held).andMetaData(audit));
  }
}
