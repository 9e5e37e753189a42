// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.sshcheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.query.FindLastSshAuthenticationQuery;
import io.ledgerscale.domain.api.query.FindSshCheckQuery;
import io.ledgerscale.domain.api.query.SshCheckView;
import io.ledgerscale.domain.api.sshcheck.SshCheckApprovedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRejectedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRequestedEvent;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SshCheckProjectionTest {
  private static final Instant EXPIRES = Instant.parse("2026-11-01T10:30:00Z");
  private SshCheckProjection checks;
  private EventFeed feed;

  @BeforeEach
  void setUp() {
    checks = new SshCheckProjection(ProjectionDatabase.fresh());
    feed = new EventFeed(checks);
  }

  private void request(String id, long userId) {
    feed.publish(
        "sshcheck-" + id, new SshCheckRequestedEvent(id, 3, 4, userId, "root", "admin", EXPIRES));
  }

  @Test
  void canFindACheckAndItsOutcome() {
    request("a", 1);
    assertThat(checks.handle(new FindSshCheckQuery("a")).status()).isEqualTo("PENDING");

    feed.publish("sshcheck-a", new SshCheckRejectedEvent("a", "not me"));

    SshCheckView view = checks.handle(new FindSshCheckQuery("a"));
    assertThat(view.status()).isEqualTo("REJECTED");
    assertThat(view.reason()).isEqualTo("not me");
    assertThat(view.srcNodeId()).isEqualTo(3);
    assertThat(view.dstNodeId()).isEqualTo(4);
    assertThat(view.localUser()).isEqualTo("admin");
    assertThat(view.expiresAt()).isEqualTo(EXPIRES);
    assertThat(view.decidedAt()).isNotNull();
    assertThat(checks.handle(new FindSshCheckQuery("zz"))).isNull();
  }

  @Test
  void shouldAnswerTheUsersLatestApprovalOnly() {
    request("a", 1);
    request("b", 1);
    request("c", 2);
    request("d", 1);
    assertThat(checks.handle(new FindLastSshAuthenticationQuery(1))).isNull();

    feed.publish("sshcheck-a", new SshCheckApprovedEvent("a", 1));
    feed.publish("sshcheck-b", new SshCheckApprovedEvent("b", 1));
    feed.publish("sshcheck-c", new SshCheckApprovedEvent("c", 2));
    feed.publish("sshcheck-d", new SshCheckRejectedEvent("d", ""));

    SshCheckView last = checks.handle(new FindLastSshAuthenticationQuery(1));
    assertThat(last.checkId()).isEqualTo("b");
    assertThat(last.decidedAt()).isAfter(checks.handle(new FindSshCheckQuery("a")).decidedAt());
  }
}
