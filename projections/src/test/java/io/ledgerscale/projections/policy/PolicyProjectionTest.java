// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.query.FetchPolicyQuery;
import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyProjectionTest {
  private PolicyProjection policy;
  private EventFeed feed;

  @BeforeEach
  void setUp() {
    policy = new PolicyProjection(ProjectionDatabase.fresh());
    feed = new EventFeed(policy);
  }

  @Test
  void shouldAnswerNullBeforeAnyPolicy() {
    assertThat(policy.handle(new FetchPolicyQuery())).isNull();
  }

  @Test
  void canServeLatestPolicyVerbatim() {
    feed.publish("policy", new PolicyChangedEvent(1, "{\"acls\": []}", "h1", null, "+acls"));
    String second = "{\n  // comments stay\n  \"acls\": [{\"action\": \"accept\"}],\n}";
    feed.publish("policy", new PolicyChangedEvent(2, second, "h2", "h1", "diff"));

    PolicyView view = policy.handle(new FetchPolicyQuery());
    assertThat(view.version()).isEqualTo(2);
    assertThat(view.policy()).isEqualTo(second);
    assertThat(view.updatedAt()).isEqualTo(feed.now());
  }
}
