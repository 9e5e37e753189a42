// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.it.e2e.support.Children;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.it.e2e.support.LedgerscaleServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A fleet of 1,000 real clients (tools/loadgen: one process, each node a real controlclient.Direct
 * with Noise, pre-auth key registration and a streaming map, read by the light reader) converges on
 * every change: all see every peer online after connecting, and again after each of three reconnect
 * storms (all clients at once), followed each time by a rename every client must see; then a tag
 * and a deletion. When one does not, the generator names the step, the exact number of clients
 * missing it and some of their node ids, and that message fails the test. Nothing here is timed:
 * each step waits up to a generous deadline (complete maps 5 minutes, each change 1 minute).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetConvergenceIT {
  private static final int NODES = Integer.getInteger("ledgerscale.fleet.nodes", 1000);
  private Path dir;
  private LedgerscaleServer server;

  @BeforeAll
  void startServer() throws Exception {
    LoadgenBuild.binary();
    dir = Dirs.fresh(Path.of("target", "e2e", "fleet-convergence")).toAbsolutePath();
    // the generator never contacts DERP; the server needs only a map to hand out
    Path derp =
        Files.writeString(
            dir.resolve("derp.json"),
            """
            {"Regions":{"900":{"RegionID":900,"RegionCode":"test","RegionName":"Test","Nodes":[
              {"Name":"900a","RegionID":900,"HostName":"127.0.0.1","IPv4":"127.0.0.1",
               "IPv6":"none","STUNPort":-1,"DERPPort":3340}]}}}
            """);
    server = LedgerscaleServer.start(dir.resolve("server"), derp);
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyClientConvergesOnConnectStormsRenamesTagAndDelete() throws Exception {
    Path out = dir.resolve("loadgen.out");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    LoadgenBuild.binary().toString(),
                    "-server",
                    server.url(),
                    "-n",
                    Integer.toString(NODES),
                    "-mode",
                    "light",
                    "-concurrency",
                    "50",
                    "-scenario",
                    "converge",
                    "-set-policy",
                    // a client that loses its stream's updates does so after a reconnect, and not
                    // after every one: three storms (all clients, 2% of them, all), each followed
                    // by
                    // a rename all must see
                    "-storms",
                    "3",
                    // a change must reach every client within a minute; a complete map may take
                    // longer on a shared CI machine, and being slow is the harness's to report
                    "-deadline",
                    "60s",
                    "-connect-deadline",
                    "300s",
                    "-json",
                    dir.resolve("report.json").toString(),
                    "-md",
                    dir.resolve("report.md").toString()))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    // the key goes through the environment, not the command line other processes can read
    pb.environment().put("LOADGEN_API_KEY", server.apiKey());
    Process loadgen = Children.start(pb);
    boolean ended = loadgen.waitFor(15, TimeUnit.MINUTES);
    int exit = ended ? loadgen.exitValue() : Children.stop(loadgen, 5);
    String log = Files.readString(out, StandardCharsets.UTF_8);

    assertThat(exit)
        .as(
            "loadgen converge with %d light clients ended %s: %s%nfull output in %s, report in %s",
            NODES,
            ended ? "with exit " + exit : "by the 15-minute timeout",
            verdict(log),
            out,
            dir.resolve("report.md"))
        .isZero();
  }

  /** The generator's failure line if there is one, else the end of its output. */
  private static String verdict(String log) {
    List<String> lines = log.lines().toList();
    for (String line : lines) {
      if (line.startsWith("CONVERGENCE FAILURE:")) {
        return line;
      }
    }
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }
}
