// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.gateway.support.GoTailscale;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    Path client = binary();
    List<String> report = new ArrayList<>();
    for (int pairs : new int[] {2, 200}) {
      try (RelayServer ours = new RelayServer(DerpAdmission.anyone())) {
        report.add(
            "ledgerscale " + run(client, ours.url(), pairs, DerpThroughputBenchmarkTest::jvmCpu));
      }
      Process derper = startDerper();
      try {
        report.add("go derper   " + run(client, derperUrl, pairs, () -> procCpu(derper.pid())));
      } finally {
        derper.destroy();
        derper.waitFor(5, TimeUnit.SECONDS);
      }
    }
    report.forEach(l -> System.out.println("DERP BENCH " + l));
  }

  private String derperUrl;

  private Process startDerper() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path bin = GoTailscale.binaries("v1.102.5").resolve("derper");
    Process p =
        new ProcessBuilder(
                bin.toString(),
                "-a",
                "127.0.0.1:" + port,
                "-http-port",
                "-1",
                "-stun=false",
                "-c",
                tmp.resolve("derper-" + port + ".json").toString(),
                "-hostname",
                "127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("derper-" + port + ".log").toFile())
            .start();
    derperUrl = "http://127.0.0.1:" + port + "/derp";
    for (int i = 0; i < 100; i++) {
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/derp/probe").toURL().openConnection();
        if (c.getResponseCode() == 200) {
          return p;
        }
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("derper did not start");
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

  private static Path binary() throws Exception {
    Path script = GoTailscale.repoRoot().resolve("tools/derpclient/build.sh");
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().merge("PATH", ":/usr/local/go/bin", String::concat);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    List<String> lines = out.lines().toList();
    return Path.of(lines.get(lines.size() - 1));
  }
}
