// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole server, as {@code ledgerscale serve} runs it: embedded PostgreSQL in a fresh data
 * directory, Axon, projections, the admin API on a random port. Every admin-API and CLI test class
 * shares this one instance.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + RunningServer.CONFIG)
public abstract class RunningServer {
  static final String DIR = "target/it-admin-api";
  static final String CONFIG = DIR + "/config.yaml";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger NAMES = new AtomicInteger();

  static {
    Path dir = Path.of(DIR);
    try {
      Dirs.fresh(dir);
      Files.writeString(
          Path.of(CONFIG),
          """
          server_url: http://127.0.0.1:8080
          listen_addr: 127.0.0.1:0
          metrics_listen_addr: ""
          data_dir: %s/data
          # a free port: several test servers may run in one JVM or on one machine
          database:
            type: embedded
            embedded:
              port: 0
          """
              .formatted(dir.toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort protected int port;

  @Autowired protected CommandGateway commands;

  protected String base() {
    return "http://127.0.0.1:" + port;
  }

  /** No credentials at all. */
  protected Http anonymous() {
    return new Http(base());
  }

  /** The admin key the server wrote on its first start. */
  protected Http admin() {
    return anonymous().bearer(initialApiKey());
  }

  protected static String initialApiKey() {
    Path file = Path.of(DIR, "data", "initial-api-key");
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("the server wrote no " + file, e);
    }
  }

  /** A name no other test uses, so tests sharing the server do not step on each other. */
  protected static String unique(String stem) {
    return stem
        + "-"
        + NAMES.incrementAndGet()
        + "-"
        + Integer.toHexString(RANDOM.nextInt(0x10000));
  }

  protected JsonNode createUser(String name) {
    Http.Answer created = admin().post("/api/v1/user", "{\"name\":\"" + name + "\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    return created.json().path("user");
  }

  protected String createPreAuthKey(String userId, String tagsJson) {
    Http.Answer created =
        admin()
            .post(
                "/api/v1/preauthkey",
                "{\"user\":"
                    + (userId == null ? "null" : "\"" + userId + "\"")
                    + ",\"reusable\":true,\"aclTags\":"
                    + (tagsJson == null ? "[]" : tagsJson)
                    + "}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    return created.json().path("preAuthKey").path("key").asText();
  }

  /**
   * What the gateway will do when a client runs {@code tailscale up --authkey}: the node acts for
   * itself.
   */
  protected NodeRegistration registerNode(String preAuthKey, String hostname) {
    NodeRegistration node =
        commands.sendAndWait(
            new RegisterNodeWithPreAuthKeyCommand(
                key("mkey:"), key("nodekey:"), hostname, List.of(), preAuthKey, null),
            AuditMetadata.of(
                new Actor(ActorType.NODE, hostname, hostname), Origin.NODE, "127.0.0.1", null));
    // the read side follows the event store a moment later, as it will for a real client
    awaitTrue(() -> admin().get("/api/v1/node/" + node.nodeId()).status() == 200);
    return node;
  }

  /**
   * What the gateway will do for {@code tailscale up} without a key: an auth id to show the user.
   */
  protected String requestRegistration(String hostname) {
    return requestRegistration(hostname, key("mkey:"));
  }

  protected String requestRegistration(String hostname, String machineKey) {
    String authId =
        commands.sendAndWait(
            new RequestRegistrationCommand(machineKey, key("nodekey:"), hostname, List.of(), null),
            AuditMetadata.of(
                new Actor(ActorType.NODE, hostname, hostname), Origin.NODE, "127.0.0.1", null));
    awaitTrue(() -> admin().get("/api/v1/registrations").text().contains(authId));
    return authId;
  }

  protected static void awaitTrue(BooleanSupplier condition) {
    // a liveness bound, not a speed target: a loaded CI machine may take a while to replay
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 60 s for the read side").isLessThan(deadline);
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  protected static String key(String type) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return type + HexFormat.of().formatHex(raw);
  }

  /** Makes tag:server and tag:db usable: tags must be declared in the policy's tagOwners. */
  protected void declareTags() {
    Http.Answer set = admin().put("/api/v1/policy", POLICY_JSON);
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
  }

  static final String POLICY = "{\"tagOwners\": {\"tag:server\": [], \"tag:db\": []}}";
  static final String POLICY_JSON = "{\"policy\": \"" + POLICY.replace("\"", "\\\"") + "\"}";
}
