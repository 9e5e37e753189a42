// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.auditread.RecordAuditReadCommand;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.server.LedgerscaleApplication;
import io.ledgerscale.server.config.ConfigEnvironmentPostProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Commands per second with the audit ledger off and on (following the store every 10 ms, the most
 * it can cost), and how far the ledger trails at the end: through the admin API (user creations,
 * each answered once the read model shows it, so bound by waiting) and straight to the command bus
 * from 8 threads (reads of the trail, each a stream of its own, so bound by the CPU and the
 * database the ledger competes for; -Dbench.direct, default 2000). Off by default; run with {@code
 * ./mvnw -o -B -pl src-test -am verify -Dit.test=AuditLedgerBenchmarkIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dledgerscale.benchmark=true} (sizes: -Dbench.commands,
 * -Dbench.threads, -Dbench.rounds). Prints a report; asserts nothing about speed.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "ledgerscale.benchmark", matches = "true")
class AuditLedgerBenchmarkIT {

  @Test
  void reportsCommandsPerSecondWithAndWithoutTheChain() throws Exception {
    int commands = Integer.getInteger("bench.commands", 400);
    int threads = Integer.getInteger("bench.threads", 4);
    int rounds = Integer.getInteger("bench.rounds", 2);
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "audit ledger benchmark: %d user creations per run, %d client threads, %d rounds%n",
            commands, threads, rounds));
    double[] api = new double[2];
    double[] bus = new double[2];
    double share = 0;
    for (int round = 1; round <= rounds; round++) {
      for (boolean chain : new boolean[] {false, true}) {
        Run r = run(round, chain, commands, threads);
        api[chain ? 1 : 0] += r.api();
        bus[chain ? 1 : 0] += r.bus();
        share += chain ? r.ledgerCpuShare() : 0;
        report.append(r.line()).append('\n');
      }
    }
    report.append(cost("API", api[0] / rounds, api[1] / rounds));
    report.append(cost("bus", bus[0] / rounds, bus[1] / rounds));
    // throughput from fresh JVMs swings with warm-up and the machine; the chain's CPU share does
    // not
    report.append(
        String.format(
            "the ledger's threads used %.2f %% of the JVM's CPU while commands ran (mean of the"
                + " chained runs; goal: under 5 %%)%n",
            share / rounds));
    System.out.println(report);
  }

  private static String cost(String what, double off, double on) {
    return String.format(
        "mean %s: off %.1f, on %.1f commands/s; the chain costs %.1f %% (goal: under 5 %%)%n",
        what, off, on, 100 * (off - on) / off);
  }

  record Run(double api, double bus, double ledgerCpuShare, String line) {}

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of the ledger's own threads (the follower and the checkpoint signer). */
  private static long ledgerCpuNanos() {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long total = 0;
    for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith("audit-ledger")) {
        total += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
      }
    }
    return total;
  }

  /** Records {@code count} reads of the trail, each a stream of its own, from {@code threads}. */
  private static void record(CommandGateway bus, int count, int threads) throws Exception {
    MetaData who = AuditMetadata.system(Origin.SYSTEM, "benchmark");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  bus.sendAndWait(
                      GenericCommandMessage.asCommandMessage(
                              new RecordAuditReadCommand(
                                  UUID.randomUUID().toString(), "list", "benchmark", i))
                          .andMetaData(who));
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  private static Run run(int round, boolean chain, int commands, int threads) throws Exception {
    String dir = "target/bench-audit-ledger-" + (chain ? "on" : "off");
    Path d = Dirs.fresh(Path.of(dir));
    Files.writeString(
        d.resolve("config.yaml"),
        """
        server_url: http://127.0.0.1:8080
        listen_addr: 127.0.0.1:0
        metrics_listen_addr: ""
        data_dir: %s/data
        database:
          type: embedded
          embedded:
            port: 0
        audit_ledger:
          enabled: %s
          follow_interval: 10ms
        """
            .formatted(d.toAbsolutePath(), chain));
    try (ConfigurableApplicationContext server =
        new SpringApplicationBuilder(LedgerscaleApplication.class)
            .properties(ConfigEnvironmentPostProcessor.CONFIG_PROPERTY + "=" + dir + "/config.yaml")
            .run()) {
      String base = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
      Http admin =
          new Http(base).bearer(Files.readString(d.resolve("data/initial-api-key")).trim());
      // warm-up: the JIT and the pools see the path before the clock starts
      create(admin, "warm", 50, threads);
      long start = System.nanoTime();
      create(admin, "bench", commands, threads);
      double seconds = (System.nanoTime() - start) / 1e9;
      // the API waits until the read model shows each change; straight to the command bus, on
      // streams of their own, commands are bound by the CPU and the database the ledger shares
      CommandGateway bus = server.getBean(CommandGateway.class);
      int direct = Integer.getInteger("bench.direct", 2000);
      record(bus, Math.max(500, direct / 2), 8);
      long directStart = System.nanoTime();
      long processCpu = processCpuNanos();
      long ledgerCpu = ledgerCpuNanos();
      record(bus, direct, 8);
      double directSeconds = (System.nanoTime() - directStart) / 1e9;
      // the chain's own work while commands ran: what it takes from them on a CPU-bound machine
      double ledgerShare =
          100.0 * (ledgerCpuNanos() - ledgerCpu) / Math.max(1, processCpuNanos() - processCpu);
      JdbcTemplate jdbc = server.getBean(JdbcTemplate.class);
      long events = jdbc.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
      long leaves = jdbc.queryForObject("SELECT count(*) FROM audit_ledger_leaf", Long.class);
      return new Run(
          commands / seconds,
          direct / directSeconds,
          ledgerShare,
          String.format(
              "round %d, chain %-3s: API %6.1f commands/s (%d in %.2f s); bus %7.1f commands/s"
                  + " (%d in %.2f s), the ledger's threads %.2f %% of the JVM's CPU; events %d,"
                  + " chained at the end %d",
              round,
              chain ? "on" : "off",
              commands / seconds,
              commands,
              seconds,
              direct / directSeconds,
              direct,
              directSeconds,
              ledgerShare,
              events,
              leaves));
    }
  }

  private static void create(Http admin, String prefix, int count, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  Http.Answer a = admin.post("/api/v1/user", "{\"name\":\"" + prefix + i + "\"}");
                  assertThat(a.status()).as(a.toString()).isEqualTo(200);
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }
}
