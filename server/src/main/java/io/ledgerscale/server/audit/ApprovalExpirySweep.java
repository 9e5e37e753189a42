// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.audit;

import io.ledgerscale.domain.api.approval.ExpireApprovalRequestCommand;
import io.ledgerscale.domain.api.approval.FetchDueApprovalRequestsQuery;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Records every four-eyes request that passed its expiry undecided as an {@code
 * ApprovalRequestExpiredEvent}, as the scheduler, so the trail says when a request lapsed even if
 * nobody ever touches it again. Each instance sweeps; the request records its expiry once. What is
 * due is read from the approvals projection on every run, so a restart loses nothing.
 */
public class ApprovalExpirySweep implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(ApprovalExpirySweep.class);
  static final int BATCH = 100;

  private final CommandGateway commands;
  private final QueryGateway queries;
  private final Duration every;
  private final Clock clock;
  private ScheduledExecutorService executor;

  public ApprovalExpirySweep(
      CommandGateway commands, QueryGateway queries, Duration every, Clock clock) {
    this.commands = commands;
    this.queries = queries;
    this.every = every;
    this.clock = clock;
  }

  @EventListener(ApplicationReadyEvent.class)
  public synchronized void start() {
    if (executor != null) {
      return;
    }
    executor = Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("approval-expiry"));
    executor.scheduleWithFixedDelay(
        this::runSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Four-eyes expiry sweep failed, trying again later: {}", e.toString());
    }
  }

  /** Answers how many expiries this run recorded. */
  int sweep() {
    List<String> due =
        queries
            .query(
                new FetchDueApprovalRequestsQuery(clock.instant(), BATCH),
                ResponseTypes.multipleInstancesOf(String.class))
            .join();
    int recorded = 0;
    for (String requestId : due) {
      try {
        Object answer =
            commands.sendAndWait(
                GenericCommandMessage.asCommandMessage(new ExpireApprovalRequestCommand(requestId))
                    .andMetaData(AuditMetadata.system(Origin.SCHEDULER, "approval-expiry")));
        if (Boolean.TRUE.equals(answer)) {
          recorded++;
          log.info("Four-eyes request {} expired undecided", requestId);
        }
      } catch (RuntimeException e) {
        // another instance recording the same expiry at once; the next run sees it done
        log.debug("Four-eyes request {} not expired this time: {}", requestId, e.toString());
      }
    }
    return recorded;
  }

  @Override
  public synchronized void destroy() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
