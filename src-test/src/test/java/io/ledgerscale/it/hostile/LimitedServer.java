// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.hostile;

import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole server with short, test-sized {@code limits.*}, shared by the suites that attack what
 * costs nothing to send (one Spring context for all of them).
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + LimitedServer.CONFIG)
abstract class LimitedServer {
  static final String DIR = "target/it-hostile-limits";
  static final String CONFIG = DIR + "/config.yaml";
  static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
  static final Duration NO_REQUEST_TIMEOUT = Duration.ofSeconds(3);

  /**
   * Long enough for a flood to reach the session cap before its first sessions time out on a loaded
   * machine; short enough to wait for.
   */
  static final Duration NOISE_TIMEOUT = Duration.ofSeconds(150);

  static final int REGISTRATION_BURST = 3;
  static final int REGISTRATIONS_PER_MINUTE = 6;
  static final int PENDING_PER_SOURCE = 5;

  static {
    Path dir = Dirs.fresh(Path.of(DIR));
    try {
      Files.writeString(
          Path.of(CONFIG),
          """
          server_url: http://127.0.0.1:8080
          listen_addr: 127.0.0.1:0
          metrics_listen_addr: ""
          data_dir: %s/data
          database:
            type: embedded
            embedded:
              port: 0
          limits:
            http:
              request_header_timeout: %ds
              no_request_timeout: %ds
            noise:
              handshake_timeout: %ds
              idle_timeout: %ds
              # one source may take every session: the fd-derived total cap must hold alone
              max_sessions_per_source: 0
            registration:
              per_source_per_minute: %d
              per_source_burst: %d
              max_pending_per_source: %d
          """
              .formatted(
                  dir,
                  HEADER_TIMEOUT.toSeconds(),
                  NO_REQUEST_TIMEOUT.toSeconds(),
                  NOISE_TIMEOUT.toSeconds(),
                  NOISE_TIMEOUT.toSeconds(),
                  REGISTRATIONS_PER_MINUTE,
                  REGISTRATION_BURST,
                  PENDING_PER_SOURCE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort protected int port;
  @Autowired protected ServerMachineKey serverKey;
  @Autowired protected JdbcTemplate jdbc;

  /**
   * The admin API's answer to an authenticated read, or -1 when it gave none within 10 s. A fresh
   * client each time: a pooled connection may have been closed by the no-request timeout.
   */
  protected int adminStatus() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try {
      return client
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/user"))
                  .header("Authorization", "Bearer " + initialApiKey())
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  protected static String initialApiKey() {
    try {
      return Files.readString(Path.of(DIR, "data", "initial-api-key"), StandardCharsets.UTF_8)
          .trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows in the event store: what an attacker would make us keep forever. */
  protected long storedEvents() {
    return jdbc.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
  }

  /** File descriptors this JVM (the server) holds now. */
  protected static int openFds() {
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      return (int) s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
