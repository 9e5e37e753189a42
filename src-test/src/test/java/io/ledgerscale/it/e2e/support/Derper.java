// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Tailscale's own DERP relay (cmd/derper from the same module as the clients), on loopback only. On
 * a port other than 443 and without {@code -certmode manual} derper serves plain HTTP, which
 * clients accept with {@code TS_DEBUG_USE_DERP_HTTP=1}. {@link #writeDerpMap} writes the region for
 * it in Headscale's {@code derp.paths} file format.
 */
public final class Derper implements AutoCloseable {
  public static final int REGION_ID = 900;
  private final Process process;
  private final int port;
  private final int stunPort;
  private final Path log;

  private Derper(Process process, int port, int stunPort, Path log) {
    this.process = process;
    this.port = port;
    this.stunPort = stunPort;
    this.log = log;
  }

  public static Derper start(Path binaries, Path dir) throws IOException {
    Files.createDirectories(dir);
    int port = Ports.freeTcp();
    int stunPort = Ports.freeUdp();
    Path log = dir.resolve("derper.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    binaries.resolve("derper").toString(),
                    "-a",
                    "127.0.0.1:" + port,
                    "-http-port",
                    "-1",
                    "-stun-port",
                    Integer.toString(stunPort),
                    "-c",
                    dir.resolve("derper.json").toString(),
                    "-hostname",
                    "127.0.0.1"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Derper derper = new Derper(Children.start(pb), port, stunPort, log);
    try {
      Poll.until(Duration.ofSeconds(30), 100, derper::answersProbe, derper::describe);
    } catch (AssertionError e) {
      derper.close();
      throw e;
    }
    return derper;
  }

  private boolean answersProbe() {
    if (!process.isAlive()) {
      throw new AssertionError("derper exited: " + describe());
    }
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/derp/probe").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(1000);
      return c.getResponseCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** A derp.paths file with one region, this relay, and nothing reachable off this machine. */
  public Path writeDerpMap(Path file) throws IOException {
    return Files.writeString(
        file,
        """
        # written by the e2e harness: one loopback relay
        regions:
          %1$d:
            regionid: %1$d
            regioncode: e2e
            regionname: E2E loopback relay
            nodes:
              - name: %1$da
                regionid: %1$d
                hostname: 127.0.0.1
                ipv4: 127.0.0.1
                ipv6: none
                derpport: %2$d
                stunport: %3$d
        """
            .formatted(REGION_ID, port, stunPort));
  }

  public int port() {
    return port;
  }

  public String describe() {
    try {
      return "derper on 127.0.0.1:" + port + ", log:\n" + Files.readString(log);
    } catch (IOException e) {
      return "derper on 127.0.0.1:" + port;
    }
  }

  @Override
  public void close() {
    Children.stop(process, 5);
  }
}
