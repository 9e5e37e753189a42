// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loopback throughput of our relay and of Tailscale's Go derper (same tailscale.com version as the
 * client driving both), with 2 and 200 sender/receiver pairs: packets/s, MB/s and relay CPU per GB.
 * A measurement, not a check: it asserts nothing and runs only with {@code -Dderp.bench=true}.
 */
@EnabledIfSystemProperty(named = "derp.bench", matches = "true")
class DerpThroughputBenchmarkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SECONDS = Integer.getInteger("derp.bench.seconds", 10);
  @TempDir Path tmp;

  @Test
  void compareWithGoDerper() throws Exception {
    Path client = GoDerp.clientBinary();
    List<String> report = new ArrayList<>();
    for (int pairs : new int[] {2, 200}) {
      try (RelayServer ours = new RelayServer(DerpAdmission.anyone())) {
        report.add(
            "ledgerscale " + run(client, ours.url(), pairs, DerpThroughputBenchmarkTest::jvmCpu));
      }
      try (GoDerp.Derper derper = GoDerp.startDerper(tmp, List.of(), Map.of())) {
        report.add(
            "go derper   "
                + run(client, derper.url(), pairs, () -> procCpu(derper.process().pid())));
      }
    }
    report.forEach(l -> System.out.println("DERP BENCH " + l));
  }

  private static String run(Path client, String url, int pairs, LongSupplier cpuNanos)
      throws Exception {
    long cpu0 = cpuNanos.getAsLong();
    Process p =
        new ProcessBuilder(
                client.toString(),
                "-url",
                url,
                "-bench-pairs",
                Integer.toString(pairs),
                "-bench-seconds",
                Integer.toString(SECONDS))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(5, TimeUnit.MINUTES);
    long cpu = cpuNanos.getAsLong() - cpu0;
    JsonNode r = null;
    for (String line : out.split("\n")) {
      if (line.contains("\"bench\"")) {
        r = JSON.readTree(line);
      }
    }
    if (r == null) {
      return "pairs=" + pairs + " failed: " + out;
    }
    double gb = r.path("megabytesPerSecond").asDouble() * r.path("seconds").asDouble() / 1000;
    return String.format(
        "pairs=%d size=%d: %.0f packets/s, %.1f MB/s, relay CPU %.1f s per GB (sent %d, received %d)",
        pairs,
        r.path("size").asInt(),
        r.path("packetsPerSecond").asDouble(),
        r.path("megabytesPerSecond").asDouble(),
        gb == 0 ? Double.NaN : cpu / 1e9 / gb,
        r.path("sent").asLong(),
        r.path("received").asLong());
  }

  private static long jvmCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of a process from /proc, in nanoseconds (clock ticks of 10 ms). */
  private static long procCpu(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    } catch (IOException e) {
      return 0;
    }
  }
}
