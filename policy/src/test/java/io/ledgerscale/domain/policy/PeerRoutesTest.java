// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.compile.PrimaryRoutes;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Subnet routes as each viewer is shown them: one primary among the routers of a route, stable and
 * failing over; only viewers the policy lets reach the route see it.
 */
class PeerRoutesTest {
  private static final TailnetUser ALICE = new TailnetUser(1, "alice", "alice@example.com");
  private static final IpPrefix LAN = IpPrefix.parse("10.1.0.0/16");

  // 1 and 2 route 10.1.0.0/16 (1 joined first); 3 is alice's laptop; 4 a tagged server
  private static final TailnetSnapshot NET =
      TailnetSnapshot.of(
          List.of(ALICE),
          List.of(
              router(1, "100.64.0.1"),
              router(2, "100.64.0.2"),
              new TailnetNode(
                  3,
                  "laptop",
                  IpAddress.parse("100.64.0.3"),
                  IpAddress.parse("fd7a:115c:a1e0::3"),
                  1L,
                  Set.of(),
                  List.of(),
                  List.of()),
              new TailnetNode(
                  4,
                  "server",
                  IpAddress.parse("100.64.0.4"),
                  IpAddress.parse("fd7a:115c:a1e0::4"),
                  1L,
                  Set.of("tag:server"),
                  List.of(),
                  List.of())));

  private static TailnetNode router(long id, String v4) {
    return new TailnetNode(
        id,
        "router" + id,
        IpAddress.parse(v4),
        IpAddress.parse("fd7a:115c:a1e0::" + id),
        1L,
        Set.of("tag:router"),
        List.of(LAN),
        List.of(LAN));
  }

  private static CompiledPolicy policy(String acls) {
    return PolicyEngine.accept(
        """
        {"tagOwners": {"tag:router": ["alice@example.com"], "tag:server": ["alice@example.com"]},
         "nodeAttrs": [{"target": ["tag:server"], "attr": ["disable-ipv4"]}],
         "acls": %s}
        """
            .formatted(acls),
        NET);
  }

  @Test
  void shouldShowTheRouteOnlyOnTheFirstRouterAndOnlyToWhoMayReachIt() {
    CompiledPolicy p =
        policy(
            "[{\"action\": \"accept\", \"src\": [\"alice@example.com\"], \"dst\": [\"10.1.0.0/16:*\"]}]");
    PrimaryRoutes primaries = PrimaryRoutes.elect(p.servedRoutesByNode(), id -> true, null);

    assertThat(p.routesShown(3, 1, primaries).primary()).containsExactly(LAN);
    assertThat(p.routesShown(3, 2, primaries).allowed()).isEmpty();
    // the server may not reach the subnet, nor the subnet the server
    assertThat(p.routesShown(4, 1, primaries).allowed()).isEmpty();
    // the other router of the same route sees the primary's, to take over from it
    assertThat(p.routesShown(2, 1, primaries).allowed()).containsExactly(LAN);
  }

  @Test
  void shouldFailOverWhenThePrimaryGoesOfflineAndKeepTheNewOneWhenItReturns() {
    CompiledPolicy p = policy("[{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"]}]");
    PrimaryRoutes first = PrimaryRoutes.elect(p.servedRoutesByNode(), id -> true, null);
    assertThat(first.isPrimary(1, LAN)).isTrue();

    PrimaryRoutes failedOver = PrimaryRoutes.elect(p.servedRoutesByNode(), id -> id != 1, first);
    assertThat(failedOver.isPrimary(2, LAN)).isTrue();
    assertThat(p.routesShown(3, 2, failedOver).primary()).containsExactly(LAN);
    assertThat(p.routesShown(3, 1, failedOver).allowed()).isEmpty();

    PrimaryRoutes back = PrimaryRoutes.elect(p.servedRoutesByNode(), id -> true, failedOver);
    assertThat(back.isPrimary(2, LAN)).isTrue();
  }

  @Test
  void shouldHideIpv4OfAndFromANodeWithDisableIpv4() {
    CompiledPolicy p = policy("[{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"]}]");

    assertThat(p.showsIpv4(3, 4)).isFalse();
    assertThat(p.showsIpv4(4, 3)).isFalse();
    assertThat(p.showsIpv4(3, 1)).isTrue();
  }
}
