// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.approval;

import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.domain.api.approval.FourEyesAction;
import io.ledgerscale.domain.api.approval.FourEyesPolicy;
import io.ledgerscale.domain.api.approval.HeldCommands;
import io.ledgerscale.domain.api.approval.RequestApprovalCommand;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The one place an endpoint asks whether its change needs a second admin. When it does, the change
 * is not sent: a request holding it is, and the caller is answered 202 with the request (see {@link
 * ApprovalRequired}). The change's own bounds were checked by the endpoint before.
 */
@Component
public class FourEyesGate {
  private final AdminGateway gateway;
  private final FourEyesPolicy policy;
  private final Clock clock = Clock.systemUTC();

  public FourEyesGate(AdminGateway gateway, ObjectProvider<FourEyesPolicy> policy) {
    this.gateway = gateway;
    this.policy = policy.getIfAvailable(() -> FourEyesPolicy.OFF);
  }

  /** Returns when {@code command} may be sent now; otherwise holds it and throws. */
  public void check(FourEyesAction action, Object command, String summary) {
    if (!policy.requires(action)) {
      return;
    }
    String json = HeldCommands.write(action, command);
    if (json.length() > RequestApprovalCommand.COMMAND_MAX) {
      throw ApiProblem.badRequest("the change is too large to hold for approval");
    }
    String held =
        summary.length() > RequestApprovalCommand.SUMMARY_MAX
            ? summary.substring(0, RequestApprovalCommand.SUMMARY_MAX)
            : summary;
    String requestId = UUID.randomUUID().toString();
    Instant expiresAt = clock.instant().plus(policy.requestLifetime());
    gateway.send(new RequestApprovalCommand(requestId, action, json, held, expiresAt));
    throw new ApprovalRequired(requestId, action.key(), held, expiresAt);
  }
}
