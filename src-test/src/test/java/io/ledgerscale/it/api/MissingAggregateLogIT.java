// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.registration.ApproveRegistrationCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A command about something that does not exist is an answer, not a fault: the caller gets the
 * refusal and the log stays quiet. Axon warns, with a stack trace, about every aggregate it cannot
 * load before it throws to the handler; with no policy set yet, every new node's registration loads
 * the policy that is not there, so a fleet registering would write a stack trace per node.
 */
@ExtendWith(OutputCaptureExtension.class)
class MissingAggregateLogIT extends RunningServer {

  @Test
  void approvingAMissingRegistrationIsRefusedWithoutAWarning(CapturedOutput output) {
    Throwable refused =
        catchThrowable(
            () ->
                commands.sendAndWait(
                    new ApproveRegistrationCommand("lskey-authreq-" + "A".repeat(24), "nobody"),
                    AuditMetadata.of(
                        new Actor(ActorType.SYSTEM, "test", "test"),
                        Origin.REST,
                        "127.0.0.1",
                        null)));

    assertThat(refused).isNotNull();
    assertThat(output.getAll())
        .doesNotContain("Exception occurred while trying to load")
        .doesNotContain("AggregateNotFoundException");
  }
}
