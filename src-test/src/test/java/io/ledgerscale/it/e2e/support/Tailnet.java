// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * What one e2e test class shares: the server, its DERP relay (the server's embedded one, or for
 * {@link #startWithGoDerper} Tailscale's derper described in a {@code derp.paths} file), and the
 * tailscaled nodes the tests add. {@link #close()} stops all of them, newest first.
 */
public final class Tailnet implements AutoCloseable {
  private final String version;
  private final Path dir;
  private final Derper derper;
  private final LedgerscaleServer server;
  private final List<TailscaleNode> nodes = new ArrayList<>();
  private final List<LedgerscaleServer> moreInstances = new ArrayList<>();
  // for a meshed deployment: the ports of the instances still to start, the mesh key, all URLs
  private final List<Integer> instancePorts = new ArrayList<>();
  private Path meshKey;
  private List<String> meshWith = List.of();

  private Tailnet(String version, Path dir, Derper derper, LedgerscaleServer server) {
    this.version = version;
    this.dir = dir;
    this.derper = derper;
    this.server = server;
  }

  /**
   * Builds (or finds cached) binaries of {@code version} and starts the server under
   * target/e2e/NAME with its embedded relay as the only DERP region (no Go derper).
   */
  public static Tailnet start(String name, String version) throws Exception {
    return startWithEmbeddedDerp(name, version);
  }

  /**
   * As {@link #start}, but the relay is Tailscale's derper, an external relay the server names in a
   * {@code derp.paths} file (so derp.paths keeps being proven with real clients).
   */
  public static Tailnet startWithGoDerper(String name, String version) throws Exception {
    Path bin = TailscaleBuild.binaries(version);
    Path dir = Path.of("target", "e2e", name).toAbsolutePath();
    Dirs.fresh(dir);
    Derper derper = Derper.start(bin, dir.resolve("derper"));
    try {
      Path derpMap = derper.writeDerpMap(dir.resolve("derp.yaml"));
      return new Tailnet(
          version, dir, derper, LedgerscaleServer.start(dir.resolve("server"), derpMap));
    } catch (Exception | AssertionError e) {
      derper.close();
      throw e;
    }
  }

  /**
   * As {@link #start}, with no Go derper: the server's embedded relay is the only DERP region, with
   * STUN on a free loopback port.
   */
  public static Tailnet startWithEmbeddedDerp(String name, String version) throws Exception {
    TailscaleBuild.binaries(version);
    Path dir = Path.of("target", "e2e", name).toAbsolutePath();
    Dirs.fresh(dir);
    return new Tailnet(
        version,
        dir,
        null,
        LedgerscaleServer.startWithEmbeddedDerp(dir.resolve("server"), Ports.freeUdp()));
  }

  /**
   * As {@link #startWithEmbeddedDerp}, for a deployment of {@code instances} servers (the first
   * started here, the others by {@link #addServerInstance}) whose embedded relays mesh: one mesh
   * key file (0600) and every instance's URL in every instance's {@code derp.server.mesh_with} (its
   * own included, as one shared config file would have it).
   */
  public static Tailnet startMeshed(String name, String version, int instances) throws Exception {
    TailscaleBuild.binaries(version);
    Path dir = Path.of("target", "e2e", name).toAbsolutePath();
    Dirs.fresh(dir);
    Path key = dir.resolve("derp-mesh.key");
    byte[] raw = new byte[32];
    new java.security.SecureRandom().nextBytes(raw);
    Files.writeString(key, java.util.HexFormat.of().formatHex(raw) + "\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    List<Integer> ports = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      int port = Ports.freeTcp();
      ports.add(port);
      urls.add("http://127.0.0.1:" + port);
    }
    Tailnet net =
        new Tailnet(
            version,
            dir,
            null,
            LedgerscaleServer.startWithEmbeddedDerp(
                dir.resolve("server"), ports.get(0), Ports.freeUdp(), key, urls));
    net.meshKey = key;
    net.meshWith = List.copyOf(urls);
    net.instancePorts.addAll(ports.subList(1, ports.size()));
    return net;
  }

  public LedgerscaleServer server() {
    return server;
  }

  /**
   * One more server instance of the same deployment (own ports and data directory, the first
   * instance's database and Noise key), under target/e2e/NAME/server-N; stopped before the first.
   * With the Go derper it uses that relay too; in a {@link #startMeshed} deployment it runs its own
   * embedded relay, meshed with the others.
   */
  public LedgerscaleServer addServerInstance() throws Exception {
    Path instanceDir = dir.resolve("server-" + (moreInstances.size() + 2));
    LedgerscaleServer instance;
    if (derper != null) {
      instance = server.startSecondInstance(instanceDir, dir.resolve("derp.yaml"));
    } else if (!instancePorts.isEmpty()) {
      instance =
          server.startSecondInstance(
              instanceDir, instancePorts.remove(0), Ports.freeUdp(), meshKey, meshWith);
    } else {
      throw new IllegalStateException("start the tailnet with startMeshed to add instances");
    }
    moreInstances.add(instance);
    return instance;
  }

  public Derper derper() {
    return derper;
  }

  /** A new tailscaled whose hostname is {@code name}; not yet logged in. */
  public TailscaleNode node(String name) throws IOException {
    return node(name, java.util.Map.of());
  }

  /** As above, with extra environment for tailscaled. */
  public TailscaleNode node(String name, java.util.Map<String, String> env) throws IOException {
    TailscaleNode node =
        TailscaleNode.start(name, version, dir.resolve("nodes").resolve(name), env);
    nodes.add(node);
    return node;
  }

  /**
   * The server's view of the node whose reported hostname is {@code hostname} ({@code nodes list -o
   * json}).
   */
  public JsonNode serverNode(String hostname) {
    return serverNode(server, hostname);
  }

  /** {@link #serverNode(String)} as one given instance answers it. */
  public static JsonNode serverNode(LedgerscaleServer server, String hostname) {
    for (JsonNode n : server.cliJson("nodes", "list")) {
      if (hostname.equals(n.path("name").asText())) {
        return n;
      }
    }
    throw new AssertionError(
        "no node " + hostname + " in nodes list: " + server.cli("nodes", "list"));
  }

  /** Prints one line the build log can be searched for. */
  public static void report(String what, long millis) {
    System.out.println("E2E delay " + what + ": " + millis + " ms");
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    for (int i = moreInstances.size() - 1; i >= 0; i--) {
      moreInstances.get(i).close();
    }
    server.close();
    if (derper != null) {
      derper.close();
    }
  }
}
