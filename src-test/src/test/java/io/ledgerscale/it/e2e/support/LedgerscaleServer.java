// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.cli.LedgerscaleCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged server as a child process ({@code ledgerscale serve -c FILE}) on fixed loopback
 * ports and one data directory, so a test can stop it and start it again on the same data, as an
 * operator restarting it would. The admin side is driven through the real CLI's main entry point,
 * in this JVM, against the server's HTTP API.
 */
public final class LedgerscaleServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final Path config;
  private final int port;
  private final int metricsPort;

  /**
   * The embedded PostgreSQL's port: this instance's own, or that of the instance whose database it
   * shares.
   */
  private final int databasePort;

  /**
   * Where the first admin key was written: by this instance, or by the one whose database it
   * shares.
   */
  private final Path apiKeyFile;

  private final Path noiseKeyFile;
  private ServerProcess process;

  private LedgerscaleServer(
      Path dir,
      Path config,
      int port,
      int metricsPort,
      int databasePort,
      Path apiKeyFile,
      Path noiseKeyFile) {
    this.dir = dir;
    this.config = config;
    this.port = port;
    this.metricsPort = metricsPort;
    this.databasePort = databasePort;
    this.apiKeyFile = apiKeyFile;
    this.noiseKeyFile = noiseKeyFile;
  }

  /**
   * Writes the config (DERP map from {@code derpMap} only, nothing fetched from the internet; an
   * embedded PostgreSQL in its data directory) and starts.
   */
  public static LedgerscaleServer start(Path dir, Path derpMap) throws Exception {
    Files.createDirectories(dir);
    int databasePort = Ports.freeTcp();
    String database =
        """
        database:
          type: embedded
          embedded:
            port: %d
            binaries_path: %s
        """
            .formatted(databasePort, Path.of("target", "postgres-bin").toAbsolutePath());
    Path data = dir.resolve("data");
    return launch(
        dir,
        derpMap,
        data,
        database,
        databasePort,
        data.resolve("initial-api-key"),
        data.resolve("noise_private.key"));
  }

  /**
   * As {@link #start}, but with the embedded DERP relay on and as the only region (no Go derper):
   * {@code derp.server.*} with verify_clients, STUN on {@code stunPort} of loopback.
   */
  public static LedgerscaleServer startWithEmbeddedDerp(Path dir, int stunPort) throws Exception {
    return startWithEmbeddedDerp(dir, Ports.freeTcp(), stunPort, null, List.of());
  }

  /**
   * As above on {@code port}, meshed with the relays at {@code meshWith} (which may include this
   * one) with the key in {@code meshKey} (null: no mesh).
   */
  public static LedgerscaleServer startWithEmbeddedDerp(
      Path dir, int port, int stunPort, Path meshKey, List<String> meshWith) throws Exception {
    Files.createDirectories(dir);
    int databasePort = Ports.freeTcp();
    String database =
        """
        database:
          type: embedded
          embedded:
            port: %d
            binaries_path: %s
        """
            .formatted(databasePort, Path.of("target", "postgres-bin").toAbsolutePath());
    Path data = dir.resolve("data");
    return launch(
        dir,
        port,
        embeddedDerp(stunPort, meshKey, meshWith),
        data,
        database,
        databasePort,
        data.resolve("initial-api-key"),
        data.resolve("noise_private.key"));
  }

  /** The derp section: the embedded relay alone, region 999, optionally meshed. */
  private static String embeddedDerp(int stunPort, Path meshKey, List<String> meshWith) {
    String derp =
        """
        derp:
          urls: []
          paths: []
          auto_update_enabled: false
          server:
            enabled: true
            region_id: 999
            region_code: ledgerscale
            region_name: Ledgerscale embedded relay
            verify_clients: true
            stun_listen_addr: 127.0.0.1:%d
            ipv4: 127.0.0.1
            ipv6: none
        """
            .formatted(stunPort);
    if (meshKey != null) {
      derp += "    mesh_key_path: " + meshKey.toAbsolutePath() + "\n";
      derp += "    mesh_with:\n";
      for (String url : meshWith) {
        derp += "      - " + url + "\n";
      }
    }
    return derp;
  }

  /**
   * Another instance of the same deployment: its own data directory and ports, this instance's
   * PostgreSQL (as {@code database.type: postgres}) and this instance's Noise private key, so
   * clients cannot tell the two apart. The admin key is the one the first instance wrote. Stop it
   * before this one, whose database it uses.
   */
  public LedgerscaleServer startSecondInstance(Path secondDir, Path derpMap) throws Exception {
    Files.createDirectories(secondDir);
    return launch(
        secondDir,
        derpMap,
        secondDir.resolve("data"),
        sharedDatabase(),
        databasePort,
        apiKeyFile,
        noiseKeyFile);
  }

  /**
   * As {@link #startSecondInstance(Path, Path)}, with its own embedded relay on {@code port} (STUN
   * on {@code stunPort}), meshed with {@code meshWith} by the key in {@code meshKey}.
   */
  public LedgerscaleServer startSecondInstance(
      Path secondDir, int port, int stunPort, Path meshKey, List<String> meshWith)
      throws Exception {
    Files.createDirectories(secondDir);
    return launch(
        secondDir,
        port,
        embeddedDerp(stunPort, meshKey, meshWith),
        secondDir.resolve("data"),
        sharedDatabase(),
        databasePort,
        apiKeyFile,
        noiseKeyFile);
  }

  private String sharedDatabase() {
    return """
        database:
          type: postgres
          postgres:
            host: localhost
            port: %d
            name: ledgerscale
            user: postgres
            password_file: %s
        noise:
          private_key_path: %s
        """
        .formatted(
            databasePort,
            // the embedded PostgreSQL asks for the password its server generated
            apiKeyFile.resolveSibling("postgres.password"),
            noiseKeyFile);
  }

  private static LedgerscaleServer launch(
      Path dir,
      Path derpMap,
      Path data,
      String databaseAndKeys,
      int databasePort,
      Path apiKeyFile,
      Path noiseKeyFile)
      throws Exception {
    return launch(
        dir,
        Ports.freeTcp(),
        """
        derp:
          urls: []
          paths:
            - %s
          auto_update_enabled: false
        """
            .formatted(derpMap.toAbsolutePath()),
        data,
        databaseAndKeys,
        databasePort,
        apiKeyFile,
        noiseKeyFile);
  }

  private static LedgerscaleServer launch(
      Path dir,
      int port,
      String derpSection,
      Path data,
      String databaseAndKeys,
      int databasePort,
      Path apiKeyFile,
      Path noiseKeyFile)
      throws Exception {
    int metricsPort = Ports.freeTcp();
    Path config =
        Files.writeString(
            dir.resolve("config.yaml"),
            """
        server_url: http://127.0.0.1:%1$d
        listen_addr: 127.0.0.1:%1$d
        metrics_listen_addr: 127.0.0.1:%2$d
        data_dir: %3$s
        dns:
          magic_dns: true
          base_domain: e2e.ledgerscale.test
          override_local_dns: false
        """
                    .formatted(port, metricsPort, data)
                + derpSection
                + databaseAndKeys);
    LedgerscaleServer server =
        new LedgerscaleServer(
            dir, config, port, metricsPort, databasePort, apiKeyFile, noiseKeyFile);
    server.startProcess();
    return server;
  }

  /** {@code GET /key?v=113}: the TS2021 public key this instance presents to clients (JSON). */
  public String noisePublicKey() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(url() + "/key?v=113").toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(5000);
      if (c.getResponseCode() != 200) {
        throw new AssertionError("GET /key?v=113 -> " + c.getResponseCode());
      }
      try (var in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private void startProcess() throws Exception {
    process = ServerProcess.start(config, metricsPort, dir.resolve("server.log"));
    try {
      process.awaitHealthy(Duration.ofMinutes(3));
      Poll.until(
          Duration.ofMinutes(1), 100, () -> Files.exists(apiKeyFile), () -> "no initial API key");
    } catch (AssertionError e) {
      close();
      throw e;
    }
  }

  /** A graceful stop (SIGTERM), then a start on the same config, ports and data. */
  public void restart() throws Exception {
    process.stopGracefully(60);
    startProcess();
  }

  /**
   * The server process, as "pid@start time", so a test can tell it was not restarted. Fails if it
   * is not running.
   */
  public String processId() {
    if (process == null || !process.isAlive()) {
      throw new AssertionError("the server is not running; log:\n" + log());
    }
    return process.processId();
  }

  /** {@code GET /metrics} on this instance's metrics listener, in Prometheus' text format. */
  public PrometheusText metrics() {
    try {
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                      .timeout(java.time.Duration.ofSeconds(10))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      return PrometheusText.parse(r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public String apiKey() {
    try {
      return Files.readString(apiKeyFile).strip();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * {@code ledgerscale ARGS --address URL --api-key KEY --force}, in process; fails unless it exits
   * 0.
   */
  public String cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", url(), "--api-key", apiKey(), "--force"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        LedgerscaleCli.run(
            all.toArray(String[]::new),
            Map.of("HOME", "/nonexistent"),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    if (status != 0) {
      throw new AssertionError(
          "ledgerscale "
              + String.join(" ", args)
              + " exited "
              + status
              + "\nstdout:\n"
              + text
              + "\nstderr:\n"
              + err.toString(StandardCharsets.UTF_8));
    }
    return text;
  }

  public JsonNode cliJson(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("-o", "json"));
    try {
      return JSON.readTree(cli(all.toArray(String[]::new)));
    } catch (IOException e) {
      throw new AssertionError("not JSON", e);
    }
  }

  /** GET /api/v1/audit with the admin key; {@code query} like {@code action=NodeRenamedEvent}. */
  public JsonNode audit(Map<String, String> query) {
    StringBuilder q = new StringBuilder("size=1000");
    query.forEach(
        (k, v) ->
            q.append('&')
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(url() + "/api/v1/audit?" + q).toURL().openConnection();
      c.setRequestProperty("Authorization", "Bearer " + apiKey());
      c.setConnectTimeout(2000);
      c.setReadTimeout(10000);
      if (c.getResponseCode() != 200) {
        throw new AssertionError("GET /api/v1/audit?" + q + " -> " + c.getResponseCode());
      }
      try (var in = c.getInputStream()) {
        return JSON.readTree(in).path("entries");
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.stopGracefully(60);
    }
  }
}
