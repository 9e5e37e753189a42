// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.FilterRule;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Compile-time benchmark: 500 rules x 5,000 nodes, a full compile with every node's filter, then
 * one node's tag change recompiled incrementally. Off by default; run with {@code ./mvnw -B -ntp -o
 * -q test -pl policy -Dtest=PolicyCompileBenchmark -Dledgerscale.benchmark=true} (sizes:
 * -Dbench.nodes, -Dbench.rules). Prints a report; asserts the incremental result equals a full
 * compile.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "ledgerscale.benchmark", matches = "true")
class PolicyCompileBenchmark {

  @Test
  void shouldReportCompileAndRecompileTimes() {
    int nodes = Integer.getInteger("bench.nodes", 5000);
    int rules = Integer.getInteger("bench.rules", 500);
    System.out.println(run(nodes, rules));
  }

  static String run(int nodeCount, int ruleCount) {
    SyntheticTailnet net = SyntheticTailnet.generate(nodeCount, ruleCount, 2024);
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "policy compile benchmark: %d nodes, %d rules, %d tags, policy %d KiB%n",
            nodeCount, ruleCount, net.tagCount, net.policy.length() / 1024));

    // warm-up on a smaller tailnet so the JIT has seen the code paths
    SyntheticTailnet warm = SyntheticTailnet.generate(nodeCount / 5, ruleCount / 5, 1);
    CompiledPolicy w = CompiledPolicy.compile(Policy.parse(warm.policy), warm.snapshot);
    warm.snapshot.nodes().forEach(n -> w.filterFor(n.id()));

    long heapBefore = usedHeap();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    Policy policy = Policy.parse(net.policy);
    long t1 = System.nanoTime();
    CompiledPolicy compiled = CompiledPolicy.compile(policy, net.snapshot);
    long t2 = System.nanoTime();
    long filterRules = 0;
    long dstPorts = 0;
    for (TailnetNode n : net.snapshot.nodes()) {
      List<FilterRule> f = compiled.filterFor(n.id());
      filterRules += f.size();
      for (FilterRule r : f) {
        dstPorts += r.dstPorts().size();
      }
    }
    long t3 = System.nanoTime();
    long c3 = threads.getCurrentThreadCpuTime();
    long heapAfter = usedHeap();
    out.append(String.format("  parse + validate         %8.1f ms%n", ms(t1 - t0)));
    out.append(String.format("  resolve rules (compile)  %8.1f ms%n", ms(t2 - t1)));
    out.append(
        String.format(
            "  all %d node filters    %8.1f ms  (%d filter rules, %d dst entries)%n",
            nodeCount, ms(t3 - t2), filterRules, dstPorts));
    out.append(
        String.format(
            "  full compile total       %8.1f ms wall, %8.1f ms CPU (one thread)%n",
            ms(t3 - t0), ms(c3 - c0)));
    out.append(
        String.format(
            "  retained heap (compiled policy + filters) ~%d MiB%n",
            (heapAfter - heapBefore) / (1024 * 1024)));

    // one node changes tags: incremental recompile and re-assembly of the affected filters
    TailnetNode node = net.snapshot.node(nodeCount / 2);
    Set<String> tags = new LinkedHashSet<>(node.tags());
    tags.add("tag:t1");
    TailnetNode changed = node.withTags(tags);
    long c4 = threads.getCurrentThreadCpuTime();
    long t4 = System.nanoTime();
    CompiledPolicy.Recompiled next = compiled.withNode(changed);
    long t5 = System.nanoTime();
    for (Long id : next.affectedNodes()) {
      next.policy().filterFor(id);
    }
    long t6 = System.nanoTime();
    long c6 = threads.getCurrentThreadCpuTime();
    out.append(
        String.format(
            "  tag change on node %d: recompile %8.1f ms, %d affected filters rebuilt in %8.1f ms (total %.1f ms wall, %.1f ms CPU)%n",
            node.id(),
            ms(t5 - t4),
            next.affectedNodes().size(),
            ms(t6 - t5),
            ms(t6 - t4),
            ms(c6 - c4)));

    // check against a full compile of the changed tailnet
    long c7 = threads.getCurrentThreadCpuTime();
    long t7 = System.nanoTime();
    CompiledPolicy full = CompiledPolicy.compile(policy, net.snapshot.withNode(changed));
    for (TailnetNode n : net.snapshot.nodes()) {
      full.filterFor(n.id());
    }
    long t8 = System.nanoTime();
    long c8 = threads.getCurrentThreadCpuTime();
    out.append(
        String.format(
            "  same change as a full recompile                  %8.1f ms wall, %8.1f ms CPU%n",
            ms(t8 - t7), ms(c8 - c7)));
    for (TailnetNode n : net.snapshot.nodes()) {
      assertThat(next.policy().filterFor(n.id()))
          .as("node %d", n.id())
          .isEqualTo(full.filterFor(n.id()));
    }
    out.append("  incremental result equals the full recompile for every node\n");
    return out.toString();
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  public static void main(String[] args) {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int rules = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    System.out.println(run(nodes, rules));
  }
}
