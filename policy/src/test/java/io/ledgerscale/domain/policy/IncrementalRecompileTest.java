// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.policy.bench.SyntheticTailnet;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.FilterRule;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncrementalRecompileTest {

  @Test
  void shouldGiveEveryNodeTheSameFilterAsAFullCompileAfterTagChanges() {
    SyntheticTailnet net = SyntheticTailnet.generate(300, 60, 42);
    Policy policy = Policy.parse(net.policy);
    CompiledPolicy incremental = CompiledPolicy.compile(policy, net.snapshot);
    Map<Long, List<FilterRule>> before = allFilters(incremental, net.snapshot);
    Random rnd = new Random(7);
    TailnetSnapshot snapshot = net.snapshot;
    for (int step = 0; step < 12; step++) {
      TailnetNode node = snapshot.node(1 + rnd.nextInt(300));
      Set<String> tags = new LinkedHashSet<>();
      if (rnd.nextBoolean()) {
        tags.add("tag:t" + rnd.nextInt(net.tagCount));
      }
      TailnetNode changed = node.withTags(tags);
      snapshot = snapshot.withNode(changed);

      CompiledPolicy.Recompiled next = incremental.withNode(changed);
      CompiledPolicy full = CompiledPolicy.compile(policy, snapshot);
      Map<Long, List<FilterRule>> expected = allFilters(full, snapshot);
      Map<Long, List<FilterRule>> got = allFilters(next.policy(), snapshot);
      assertThat(got)
          .as("step %d: filters after re-tagging node %d", step, node.id())
          .isEqualTo(expected);
      for (Map.Entry<Long, List<FilterRule>> e : expected.entrySet()) {
        if (!e.getValue().equals(before.get(e.getKey()))) {
          assertThat(next.affectedNodes())
              .as("node %d changed filter but was not reported", e.getKey())
              .contains(e.getKey());
        }
        assertThat(next.policy().peersOf(e.getKey())).isEqualTo(full.peersOf(e.getKey()));
        if (!full.peersOf(e.getKey()).equals(incremental.peersOf(e.getKey()))) {
          assertThat(next.peersMayChange())
              .as("node %d changed peers but was not reported", e.getKey())
              .contains(e.getKey());
        }
      }
      incremental = next.policy();
      before = expected;
    }
  }

  @Test
  void shouldGiveEveryNodeTheSameFilterAndPeersAsAFullCompileAfterDeletions() {
    SyntheticTailnet net = SyntheticTailnet.generate(300, 60, 42);
    Policy policy = Policy.parse(net.policy);
    CompiledPolicy incremental = CompiledPolicy.compile(policy, net.snapshot);
    TailnetSnapshot snapshot = net.snapshot;
    Map<Long, List<FilterRule>> before = allFilters(incremental, snapshot);
    Random rnd = new Random(5);
    // plain nodes, tagged ones, a subnet router (250) and an exit node (1, 251 in the generator)
    List<Long> victims = new java.util.ArrayList<>(List.of(250L, 1L));
    while (victims.size() < 14) {
      long id = 2 + rnd.nextInt(298);
      if (!victims.contains(id)) {
        victims.add(id);
      }
    }
    for (long id : victims) {
      snapshot = snapshot.withoutNode(id);
      CompiledPolicy.Recompiled next = incremental.withoutNode(id);
      CompiledPolicy full = CompiledPolicy.compile(policy, snapshot);
      Map<Long, List<FilterRule>> expected = allFilters(full, snapshot);
      assertThat(allFilters(next.policy(), snapshot))
          .as("filters after deleting node %d", id)
          .isEqualTo(expected);
      assertThat(next.policy().filterFor(id)).isEmpty();
      assertThat(next.policy().peersOf(id)).isEmpty();
      assertThat(next.affectedNodes()).doesNotContain(id);
      for (Map.Entry<Long, List<FilterRule>> e : expected.entrySet()) {
        long n = e.getKey();
        if (!e.getValue().equals(before.get(n))) {
          assertThat(next.affectedNodes())
              .as("node %d changed filter after deleting %d but was not reported", n, id)
              .contains(n);
        }
        assertThat(next.policy().peersOf(n)).isEqualTo(full.peersOf(n));
        Set<Long> was = new java.util.TreeSet<>(incremental.peersOf(n));
        was.remove(id);
        if (!full.peersOf(n).equals(was)) {
          assertThat(next.peersMayChange())
              .as("node %d changed peers beyond losing %d but was not reported", n, id)
              .contains(n);
        }
      }
      incremental = next.policy();
      before = expected;
    }
    assertThat(incremental.withoutNode(victims.get(0)).policy()).isSameAs(incremental);
  }

  @Test
  void shouldKeepTheRulesWhenARenamedUserIsNamedByNoPolicyToken() {
    SyntheticTailnet net = SyntheticTailnet.generate(300, 60, 42);
    Policy policy = Policy.parse(net.policy);
    CompiledPolicy compiled = CompiledPolicy.compile(policy, net.snapshot);
    List<TailnetUser> users = new java.util.ArrayList<>();
    for (TailnetUser u : net.snapshot.users()) {
      // the policy names users by e-mail only: a new login name resolves nothing differently
      users.add(u.id() == 7 ? new TailnetUser(7, "renamed7", u.email()) : u);
    }
    CompiledPolicy.Recompiled next = compiled.withUsers(users);
    TailnetSnapshot snapshot = TailnetSnapshot.of(users, net.snapshot.nodes());
    CompiledPolicy full = CompiledPolicy.compile(policy, snapshot);
    assertThat(next.affectedNodes()).isEmpty();
    assertThat(next.policy().snapshot().user(7L).name()).isEqualTo("renamed7");
    assertThat(allFilters(next.policy(), snapshot)).isEqualTo(allFilters(full, snapshot));
    for (TailnetNode n : snapshot.nodes()) {
      assertThat(next.policy().peersOf(n.id())).isEqualTo(full.peersOf(n.id()));
    }
  }

  @Test
  void shouldCompileAgainWhenAChangedUserIsNamedByThePolicy() {
    SyntheticTailnet net = SyntheticTailnet.generate(300, 60, 42);
    Policy policy = Policy.parse(net.policy);
    CompiledPolicy compiled = CompiledPolicy.compile(policy, net.snapshot);
    // user1 owns the router and exit tags: a new e-mail takes them away
    List<TailnetUser> users = new java.util.ArrayList<>();
    for (TailnetUser u : net.snapshot.users()) {
      users.add(u.id() == 1 ? new TailnetUser(1, u.name(), "someone@example.org") : u);
    }
    CompiledPolicy.Recompiled next = compiled.withUsers(users);
    TailnetSnapshot snapshot = TailnetSnapshot.of(users, net.snapshot.nodes());
    assertThat(next.affectedNodes()).hasSize(300);
    assertThat(allFilters(next.policy(), snapshot))
        .isEqualTo(allFilters(CompiledPolicy.compile(policy, snapshot), snapshot));
    assertThat(compiled.withUsers(net.snapshot.users()).policy()).isSameAs(compiled);
  }

  @Test
  void shouldGiveTheSamePeersWhenNodeIdsAreTooLargeForBits() {
    SyntheticTailnet net = SyntheticTailnet.generate(300, 60, 42);
    Policy policy = Policy.parse(net.policy);
    long offset = 1L << 40;
    List<TailnetNode> shifted = new java.util.ArrayList<>();
    for (TailnetNode n : net.snapshot.nodes()) {
      shifted.add(
          new TailnetNode(
              n.id() + offset,
              n.name(),
              n.ipv4(),
              n.ipv6(),
              n.userId(),
              n.tags(),
              n.advertisedRoutes(),
              n.approvedRoutes()));
    }
    CompiledPolicy small = CompiledPolicy.compile(policy, net.snapshot);
    CompiledPolicy large =
        CompiledPolicy.compile(policy, TailnetSnapshot.of(net.snapshot.users(), shifted));
    for (TailnetNode n : net.snapshot.nodes()) {
      Set<Long> expected = new java.util.TreeSet<>();
      small.peersOf(n.id()).forEach(id -> expected.add(id + offset));
      assertThat(large.peersOf(n.id() + offset)).as("node %d", n.id()).isEqualTo(expected);
      assertThat(small.peersOf(n.id())).doesNotContain(n.id());
    }
  }

  @Test
  void shouldRecompileRouteChangesToo() {
    SyntheticTailnet net = SyntheticTailnet.generate(300, 40, 3);
    Policy policy = Policy.parse(net.policy);
    CompiledPolicy compiled = CompiledPolicy.compile(policy, net.snapshot);
    TailnetNode node = net.snapshot.node(17);
    List<IpPrefix> routes = List.of(IpPrefix.parse("10.200.0.0/16"));
    TailnetNode changed = node.withRoutes(routes, routes);
    CompiledPolicy.Recompiled next = compiled.withNode(changed);
    TailnetSnapshot snapshot = net.snapshot.withNode(changed);
    assertThat(allFilters(next.policy(), snapshot))
        .isEqualTo(allFilters(CompiledPolicy.compile(policy, snapshot), snapshot));
  }

  @Test
  void shouldNotReportNodesUntouchedByATagChange() {
    SyntheticTailnet net = SyntheticTailnet.generate(2000, 200, 11);
    CompiledPolicy compiled = CompiledPolicy.compile(Policy.parse(net.policy), net.snapshot);
    TailnetNode node = net.snapshot.node(5);
    CompiledPolicy.Recompiled next = compiled.withNode(node.withTags(Set.of("tag:t1")));
    assertThat(next.affectedNodes()).contains(5L);
    assertThat(next.affectedNodes().size()).isLessThan(2000);
  }

  private static Map<Long, List<FilterRule>> allFilters(CompiledPolicy p, TailnetSnapshot s) {
    Map<Long, List<FilterRule>> m = new HashMap<>();
    for (TailnetNode n : s.nodes()) {
      m.put(n.id(), p.filterFor(n.id()));
    }
    return m;
  }
}
