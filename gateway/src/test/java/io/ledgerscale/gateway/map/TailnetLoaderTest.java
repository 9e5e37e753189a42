// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.gateway.map.TailnetLoader.Serving;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the map serves when the stored policy no longer compiles (it was accepted by an older, more
 * lenient parser): never everything, and never nothing at all.
 */
class TailnetLoaderTest {
  private static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");
  private static final String GOOD =
      """
      {
        "acls": [{"action": "accept", "src": ["alice@example.com"], "dst": ["*:22"]}],
        "ssh": [{"action": "accept", "src": ["alice@example.com"], "dst": ["autogroup:self"],
                 "users": ["root"]}],
      }
      """;
  // checkPeriod on an accept rule: refused since the parser became stricter
  private static final String NO_LONGER_VALID =
      """
      {
        "acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}],
        "ssh": [{"action": "accept", "src": ["alice@example.com"], "dst": ["autogroup:self"],
                 "users": ["root"], "checkPeriod": "12h"}],
      }
      """;

  private final InMemoryReadModels readModels = new InMemoryReadModels();
  private final TailnetLoader loader = new TailnetLoader(readModels.queries, readModels);

  @BeforeEach
  void tailnet() {
    readModels.users.put(
        1L, new UserView(1, "alice", "Alice", "alice@example.com", null, null, null, CREATED));
    readModels.nodes.put(1L, NetworkMapTest.view(1, "alice-laptop", 1, List.of()));
    readModels.nodes.put(2L, NetworkMapTest.view(2, "alice-box", 1, List.of()));
  }

  @Test
  void shouldTestWithAPolicyTheCompilerNowRefuses() {
    assertThatThrownBy(
            () -> PolicyEngine.compile(NO_LONGER_VALID, TailnetSnapshot.of(List.of(), List.of())))
        .hasMessageContaining("checkPeriod");
  }

  @Test
  void shouldDenyEverythingWhenTheStoredPolicyHasNeverCompiledSinceStart() {
    readModels.policy = new PolicyView(3, NO_LONGER_VALID, CREATED);

    MapSnapshot t = loader.load(Set.of());

    // a policy is in force (null would mean "no policy: allow all"), and it allows nothing
    assertThat(t.policy()).isNotNull();
    assertThat(t.policy().filterFor(1)).isEmpty();
    assertThat(t.policy().filterFor(2)).isEmpty();
    assertThat(t.policy().peersOf(1)).isEmpty();
    assertThat(t.policy().sshPolicyFor(1)).isNull();
    assertThat(loader.policyProblem())
        .hasValueSatisfying(
            p -> {
              assertThat(p.serving()).isEqualTo(Serving.DENY_ALL);
              assertThat(p.error()).contains("checkPeriod");
            });
  }

  @Test
  void shouldKeepServingTheLastGoodPolicyWhenTheStoredOneStopsCompiling() {
    readModels.policy = new PolicyView(3, GOOD, CREATED);
    MapSnapshot good = loader.load(Set.of());
    assertThat(good.policy().filterFor(2)).isNotEmpty();
    assertThat(loader.policyProblem()).isEmpty();

    readModels.policy = new PolicyView(4, NO_LONGER_VALID, CREATED);
    MapSnapshot after = loader.load(Set.of());

    assertThat(after.policy().filterFor(2)).isEqualTo(good.policy().filterFor(2));
    assertThat(loader.policyProblem())
        .hasValueSatisfying(p -> assertThat(p.serving()).isEqualTo(Serving.LAST_GOOD_POLICY));
  }

  @Test
  void shouldServeTheStoredPolicyAgainOnceItCompiles() {
    readModels.policy = new PolicyView(3, NO_LONGER_VALID, CREATED);
    loader.load(Set.of());

    readModels.policy = new PolicyView(4, GOOD, CREATED);
    MapSnapshot fixed = loader.load(Set.of());

    assertThat(loader.policyProblem()).isEmpty();
    assertThat(fixed.policy().filterFor(2)).isNotEmpty();
    assertThat(fixed.policy().sshPolicyFor(1)).isNotNull();
  }
}
