// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.query.FetchPolicyDiffQuery;
import io.ledgerscale.domain.api.query.FetchPolicyHistoryQuery;
import io.ledgerscale.domain.api.query.PolicyDiffView;
import io.ledgerscale.domain.api.query.PolicyVersionView;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyHistoryProjectionTest {
  private static final String V1 = "{\n  \"tagOwners\": {\"tag:a\": []},\n}\n";
  private static final String V2 = "{\n  \"tagOwners\": {\"tag:a\": [], \"tag:b\": []},\n}\n";
  private static final String V3 = "{\n  // b is gone\n  \"tagOwners\": {\"tag:a\": []},\n}\n";

  private PolicyHistoryProjection history;
  private EventFeed feed;
  private Instant first;
  private Instant second;
  private Instant third;

  @BeforeEach
  void setUp() {
    history = new PolicyHistoryProjection(ProjectionDatabase.fresh());
    feed = new EventFeed(history);
    feed.publish("policy", new PolicyChangedEvent(1, V1, "h1", null, "+..."));
    first = feed.now();
    feed.as(
        new Actor(io.ledgerscale.domain.api.audit.ActorType.USER, "7", "dora"),
        Origin.REST,
        "192.0.2.9",
        "c2");
    feed.publish("policy", new PolicyChangedEvent(2, V2, "h2", "h1", "d2"));
    second = feed.now();
    feed.as(Actor.system("policy file"), Origin.SYSTEM, "", "c3");
    feed.publish("policy", new PolicyChangedEvent(3, V3, "h3", "h2", "d3"));
    third = feed.now();
  }

  @Test
  void canListWhoChangedThePolicyBetweenTwoDates() {
    List<PolicyVersionView> between = history.handle(new FetchPolicyHistoryQuery(second, third));

    assertThat(between)
        .containsExactly(
            new PolicyVersionView(2, second, "USER", "7", "dora", "REST", "h2", "h1"),
            new PolicyVersionView(
                3, third, "SYSTEM", "system", "policy file", "SYSTEM", "h3", "h2"));
    assertThat(history.handle(new FetchPolicyHistoryQuery(null, first)))
        .extracting(PolicyVersionView::actorName)
        .containsExactly("ops key");
    assertThat(history.handle(new FetchPolicyHistoryQuery(third.plusSeconds(1), null))).isEmpty();
  }

  @Test
  void canDiffAnyTwoVersions() {
    PolicyDiffView diff = history.handle(new FetchPolicyDiffQuery(1, 3));

    assertThat(diff.fromSha256()).isEqualTo("h1");
    assertThat(diff.toSha256()).isEqualTo("h3");
    assertThat(diff.diff())
        .isEqualTo(" {\n+  // b is gone\n   \"tagOwners\": {\"tag:a\": []},\n }\n");
    assertThat(history.handle(new FetchPolicyDiffQuery(2, 2)).diff()).isEmpty();
    assertThat(history.handle(new FetchPolicyDiffQuery(1, 9))).isNull();
  }

  @Test
  void shouldRebuildTheSameHistoryOnReplay() {
    List<PolicyVersionView> before = history.handle(new FetchPolicyHistoryQuery(null, null));

    feed.reset();
    assertThat(history.handle(new FetchPolicyHistoryQuery(null, null))).isEmpty();
    feed.replayAll();

    assertThat(history.handle(new FetchPolicyHistoryQuery(null, null)))
        .isEqualTo(before)
        .hasSize(3);
  }
}
