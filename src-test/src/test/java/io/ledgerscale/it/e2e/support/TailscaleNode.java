// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real, unprivileged tailscaled (userspace networking, its own state directory and socket, no
 * log upload, DERP over plain HTTP to the loopback relay) and the {@code tailscale} CLI talking to
 * it.
 */
public final class TailscaleNode implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern AUTH_URL = Pattern.compile("(http://\\S+/register/(\\S+))");
  private final String name;
  private final Path bin;
  private final Path dir;
  private final Path socket;
  private final Process daemon;
  private Process pendingUp;

  private TailscaleNode(String name, Path bin, Path dir, Process daemon) {
    this.name = name;
    this.bin = bin;
    this.dir = dir;
    this.socket = dir.resolve("tailscaled.sock");
    this.daemon = daemon;
  }

  public static TailscaleNode start(String name, String version, Path dir) throws IOException {
    return start(name, version, dir, Map.of());
  }

  /**
   * As above, with {@code extraEnv} for tailscaled only (e.g. {@code TS_DEBUG_ALWAYS_USE_DERP=1}:
   * no direct path, every packet through the relay).
   */
  public static TailscaleNode start(
      String name, String version, Path dir, Map<String, String> extraEnv) throws IOException {
    Path bin = TailscaleBuild.binaries(version);
    Files.createDirectories(dir);
    ProcessBuilder pb =
        new ProcessBuilder(
                bin.resolve("tailscaled").toString(),
                "--tun=userspace-networking",
                "--socket=" + dir.resolve("tailscaled.sock"),
                "--statedir=" + dir.resolve("state"),
                "--port=0")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("tailscaled.log").toFile());
    env(pb.environment());
    pb.environment().putAll(extraEnv);
    TailscaleNode node = new TailscaleNode(name, bin, dir, Children.start(pb));
    try {
      Poll.until(
          Duration.ofSeconds(20),
          50,
          () -> Files.exists(node.socket) || !node.daemon.isAlive(),
          node::log);
      if (!Files.exists(node.socket)) {
        throw new AssertionError("tailscaled " + name + " did not start:\n" + node.log());
      }
    } catch (AssertionError e) {
      node.close();
      throw e;
    }
    return node;
  }

  private static void env(Map<String, String> env) {
    env.put("TS_NO_LOGS_NO_SUPPORT", "true");
    env.put("TS_DISABLE_PORTMAPPER", "1");
    env.put("TS_ASSUME_NETWORK_UP_FOR_TEST", "1");
    env.put("TS_DEBUG_USE_DERP_HTTP", "1");
  }

  public String name() {
    return name;
  }

  /**
   * The tailscaled process id; unchanged as long as the daemon was not restarted. Fails if it is
   * not running.
   */
  public long daemonPid() {
    if (!daemon.isAlive()) {
      throw new AssertionError("tailscaled " + name + " is not running:\n" + tail(log()));
    }
    return daemon.pid();
  }

  /**
   * {@code tailscale up --login-server URL --authkey KEY --hostname NAME}; fails unless it exits 0.
   */
  public void upWithKey(String loginServer, String authKey) {
    Result r =
        cli(
            90,
            "up",
            "--login-server=" + loginServer,
            "--authkey=" + authKey,
            "--hostname=" + name,
            "--timeout=60s");
    if (r.exitCode() != 0) {
      throw new AssertionError(
          "tailscale up ("
              + name
              + ") exited "
              + r.exitCode()
              + ":\n"
              + r.output()
              + "\ntailscaled:\n"
              + tail(log()));
    }
  }

  /**
   * {@code tailscale up} without a key: returns the auth id from the AuthURL it prints, and leaves
   * the command waiting for approval; {@link #awaitInteractiveUp} collects its outcome.
   */
  public String startInteractiveUp(String loginServer) throws IOException {
    List<String> cmd =
        command("up", "--login-server=" + loginServer, "--hostname=" + name, "--timeout=120s");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    env(pb.environment());
    pendingUp = Children.start(pb);
    BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(pendingUp.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> authId =
        CompletableFuture.supplyAsync(
            () -> {
              StringBuilder seen = new StringBuilder();
              try {
                for (String line; (line = reader.readLine()) != null; ) {
                  seen.append(line).append('\n');
                  Matcher m = AUTH_URL.matcher(line);
                  if (m.find()) {
                    // keep draining so the CLI never blocks on a full pipe
                    Thread drain =
                        new Thread(() -> reader.lines().forEach(l -> {}), "drain-" + name);
                    drain.setDaemon(true);
                    drain.start();
                    return m.group(2);
                  }
                }
              } catch (IOException e) {
                seen.append(e);
              }
              throw new AssertionError(
                  "tailscale up printed no AuthURL:\n" + seen + "\ntailscaled:\n" + tail(log()));
            });
    try {
      return authId.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(
          "no AuthURL from tailscale up (" + name + ")\ntailscaled:\n" + tail(log()), e);
    }
  }

  /** Exit status of the interactive {@code tailscale up} once approved. */
  public int awaitInteractiveUp(Duration timeout) throws InterruptedException {
    if (!pendingUp.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      Children.stop(pendingUp, 2);
      return -1;
    }
    return Children.stop(pendingUp, 1);
  }

  /** {@code tailscale status --json}. */
  public JsonNode status() {
    return cliJson("status", "--json");
  }

  /** The peer whose HostName is {@code hostName} in this node's status, or a missing node. */
  public JsonNode peerByHostName(String hostName) {
    for (JsonNode peer : status().path("Peer")) {
      if (hostName.equals(peer.path("HostName").asText())) {
        return peer;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** {@code tailscale debug prefs}: the daemon's preferences (ControlURL, Hostname, ...). */
  public JsonNode prefs() {
    return cliJson("debug", "prefs");
  }

  /**
   * {@code tailscale debug netmap}: the network map as the client holds it (peers,
   * PacketFilterRules, ...).
   */
  public JsonNode netmap() {
    return cliJson("debug", "netmap");
  }

  /**
   * {@code tailscale nc HOST PORT}: sends {@code line} through the tailnet and returns what came
   * back before the other end closed or {@code timeout} passed (then the command is stopped, and
   * the exit code is -1). Stdin stays open, because nc quits as soon as either direction ends.
   */
  public Result nc(String host, int port, String line, Duration timeout) {
    return run(timeout, line + "\n", "nc", host, Integer.toString(port));
  }

  public Result cli(long timeoutSeconds, String... args) {
    return run(Duration.ofSeconds(timeoutSeconds), null, args);
  }

  private JsonNode cliJson(String... args) {
    Result r = cli(20, args);
    try {
      return JSON.readTree(r.output());
    } catch (IOException e) {
      throw new IllegalStateException(
          "tailscale "
              + String.join(" ", args)
              + " ("
              + name
              + ") exited "
              + r.exitCode()
              + ": "
              + r.output());
    }
  }

  /**
   * Runs the CLI with {@code stdin} written (and left open) if given; exit code -1 when stopped at
   * the timeout.
   */
  private Result run(Duration timeout, String stdin, String... args) {
    ProcessBuilder pb = new ProcessBuilder(command(args)).redirectErrorStream(true);
    env(pb.environment());
    try {
      Process p = Children.start(pb);
      CompletableFuture<String> out =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  return e.toString();
                }
              });
      if (stdin != null) {
        try {
          p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
          p.getOutputStream().flush();
        } catch (IOException exitedAlready) {
          // the command failed before reading stdin; its output says why
        }
      }
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      int code = Children.stop(p, 2);
      return new Result(done ? code : -1, out.get(5, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("tailscale " + String.join(" ", args) + " (" + name + ")", e);
    }
  }

  private List<String> command(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(bin.resolve("tailscale").toString(), "--socket=" + socket));
    cmd.addAll(List.of(args));
    return cmd;
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("tailscaled.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text) {
    return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
  }

  @Override
  public void close() {
    if (pendingUp != null) {
      Children.stop(pendingUp, 1);
    }
    Children.stop(daemon, 10);
  }

  public record Result(int exitCode, String output) {}
}
