// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.domain.api.apikey.CreateApiKeyCommand;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.it.map.TsHelperProcess;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Poison values through every entry point: keyless registration and map updates over Noise (by
 * Tailscale's own client code in tshelper) and the admin API. Each is refused with a 4xx, or, for a
 * hostname, sanitised into a DNS label; the event store gains no event carrying the value (no NUL,
 * nothing oversized); and the read side keeps moving: a later honest request shows up in the views.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + HostileInputIT.CONFIG)
class HostileInputIT {
  static final String DIR = "target/it-hostile";
  static final String CONFIG = DIR + "/config.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** No honest event comes near this; every poison value below is far larger. */
  private static final int EVENT_MAX_BYTES = 8 * 1024;

  /** The filler of every long poison value: no honest event holds a run of it. */
  private static final String FILLER_RUN = "q".repeat(100);

  private static final String FAR_FUTURE = "+999999999-12-31T23:59:59Z";

  static {
    Path dir = Dirs.fresh(Path.of(DIR));
    try {
      Files.writeString(
          dir.resolve("config.yaml"),
          """
          server_url: http://127.0.0.1:8080
          listen_addr: 127.0.0.1:0
          metrics_listen_addr: ""
          data_dir: %s/data
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

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired ServerMachineKey serverKey;
  @Autowired ConnectivityStore connectivity;
  @Autowired CommandGateway commands;

  // ---- Noise: keyless registration

  @Test
  void shouldSanitiseAHostnameWithANulAndKeepPendingRegistrationsMoving() throws Exception {
    long mark = head();
    JsonNode poisoned = register(key("privkey:"), Map.of("Hostname", "evil\u0000Host.local"), null);
    assertThat(poisoned.path("status").asInt()).as(poisoned.toString()).isEqualTo(200);
    String poisonedAuth = authIdOf(poisoned);

    String honest = "honest-" + RANDOM.nextInt(1_000_000);
    String honestAuth = authIdOf(register(key("privkey:"), Map.of("Hostname", honest), null));

    awaitTrue(() -> registrations().contains(honestAuth));
    JsonNode pending = registration(poisonedAuth);
    assertThat(pending.path("hostname").asText()).isEqualTo("evil-host");
    assertCleanSince(mark);
  }

  @Test
  void shouldCutLongHostnamesToALabelAndKeepTheAuditTrailMoving() throws Exception {
    long mark = head();
    String longAuth =
        authIdOf(register(key("privkey:"), Map.of("Hostname", "q".repeat(3_000)), null));
    String hugeAuth =
        authIdOf(register(key("privkey:"), Map.of("Hostname", "q".repeat(500_000)), null));
    String honest = "honest-" + RANDOM.nextInt(1_000_000);
    register(key("privkey:"), Map.of("Hostname", honest), null);

    awaitTrue(() -> admin("GET", "/api/v1/audit?size=200", null).body().contains(honest));
    awaitTrue(() -> registrations().contains(hugeAuth));
    assertThat(registration(longAuth).path("hostname").asText()).isEqualTo("q".repeat(63));
    assertThat(registration(hugeAuth).path("hostname").asText()).isEqualTo("q".repeat(63));
    assertCleanSince(mark);
  }

  @Test
  void cannotRegisterWithGarbageInHostinfoOrAFarExpiryAndNothingIsStored() throws Exception {
    long mark = head();
    JsonNode nulOs = register(key("privkey:"), Map.of("Hostname", "a", "OS", "li\u0000nux"), null);
    JsonNode hugeOs =
        register(key("privkey:"), Map.of("Hostname", "a", "OS", "q".repeat(3_000)), null);
    JsonNode badTags =
        register(
            key("privkey:"), Map.of("Hostname", "a", "RequestTags", List.of("tag:\u0000")), null);
    JsonNode farExpiry = register(key("privkey:"), Map.of("Hostname", "a"), FAR_FUTURE);

    for (JsonNode answer : List.of(nulOs, hugeOs, badTags, farExpiry)) {
      assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(400);
    }
    assertThat(head()).isEqualTo(mark);
  }

  // ---- Noise: map updates

  @Test
  void shouldRefuseGarbageInMapUpdatesAndSanitiseTheHostname() throws Exception {
    String user = createUser("maps-" + RANDOM.nextInt(1_000_000));
    String preAuthKey =
        admin("POST", "/api/v1/preauthkey", "{\"user\":\"" + user + "\",\"reusable\":true}")
            .json()
            .path("preAuthKey")
            .path("key")
            .asText();
    String machine = key("privkey:");
    String nodeKey = key("nodekey:");
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Version", 113);
    req.put("NodeKey", nodeKey);
    req.put("Auth", Map.of("AuthKey", preAuthKey));
    req.put("Hostinfo", Map.of("Hostname", "mapper", "OS", "linux"));
    req.put("Expiry", "0001-01-01T00:00:00Z");
    JsonNode registered = noise(machine, "POST /machine/register", req);
    assertThat(registered.path("status").asInt()).as(registered.toString()).isEqualTo(200);
    awaitTrue(() -> admin("GET", "/api/v1/node?user=" + user, null).body().contains(nodeKey));
    long mark = head();

    JsonNode nulHostname =
        liteUpdate(machine, nodeKey, Map.of("Hostname", "Bad\u0000Name", "OS", "linux"), null);
    assertThat(nulHostname.path("status").asInt()).as(nulHostname.toString()).isEqualTo(200);
    awaitTrue(
        () ->
            connectivity.all().values().stream()
                .map(NodeConnectivity::hostinfo)
                .anyMatch(h -> h != null && h.contains("\"bad-name\"")));

    List<JsonNode> refused =
        List.of(
            liteUpdate(machine, nodeKey, Map.of("Hostname", "m", "OS", "li\u0000nux"), null),
            liteUpdate(
                machine, nodeKey, Map.of("Hostname", "m", "Distro", "q".repeat(3_000)), null),
            liteUpdate(
                machine,
                nodeKey,
                Map.of(
                    "Hostname", "m", "Services", List.of(Map.of("Description", "q".repeat(2_000)))),
                null),
            liteUpdate(
                machine,
                nodeKey,
                Map.of(
                    "Hostname", "m", "Blob", java.util.Collections.nCopies(200, "q".repeat(1_000))),
                null),
            liteUpdate(machine, nodeKey, Map.of("Hostname", "m"), List.of("not an endpoint")),
            liteUpdate(machine, nodeKey, Map.of("Hostname", "m"), List.of("1.2.3.4:99999")),
            liteUpdate(
                machine,
                nodeKey,
                Map.of("Hostname", "m"),
                java.util.Collections.nCopies(500, "1.2.3.4:5")));
    for (JsonNode answer : refused) {
      assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(400);
    }
    assertThat(connectivity.all().values())
        .allSatisfy(
            c -> {
              assertThat(c.hostinfo() == null ? "" : c.hostinfo())
                  .doesNotContain("\\u0000")
                  .doesNotContain(FILLER_RUN);
              assertThat(c.endpoints()).doesNotContain("not an endpoint", "1.2.3.4:99999");
            });
    assertCleanSince(mark);
  }

  // ---- admin API

  @Test
  void shouldRefuseEveryPoisonedAdminRequestWithA400AndStoreNothingOfIt() {
    String target = createUser("target-" + RANDOM.nextInt(1_000_000));
    long mark = head();
    String nul = "a\\u0000b";
    String long3k = "q".repeat(3_000);
    List<Answer> inBodies =
        List.of(
            admin("POST", "/api/v1/user", "{\"name\":\"" + nul + "\"}"),
            admin("POST", "/api/v1/user", "{\"name\":\"" + long3k + "\"}"),
            admin("POST", "/api/v1/user", "{\"name\":\"ok-1\",\"email\":\"x" + nul + "@e.com\"}"),
            admin("POST", "/api/v1/user", "{\"name\":\"ok-2\",\"display_name\":\"" + nul + "\"}"),
            admin(
                "POST", "/api/v1/user", "{\"name\":\"ok-3\",\"display_name\":\"" + long3k + "\"}"),
            admin("POST", "/api/v1/user", "{\"name\":\"ok-4\",\"picture_url\":\"javascript:x\"}"),
            admin("POST", "/api/v1/user/" + target + "/rename/" + long3k, null),
            admin("POST", "/api/v1/apikey", "{\"expiration\":\"" + FAR_FUTURE + "\"}"),
            admin(
                "POST",
                "/api/v1/preauthkey",
                "{\"user\":\"" + target + "\",\"expiration\":\"" + FAR_FUTURE + "\"}"),
            admin(
                "POST",
                "/api/v1/preauthkey",
                "{\"user\":\"" + target + "\",\"aclTags\":[\"tag:" + nul + "\"]}"),
            admin("POST", "/api/v1/preauthkey", "{\"user\":\"" + long3k + "\"}"),
            admin("POST", "/api/v1/node/1/tags", "{\"tags\":[\"tag:" + long3k + "\"]}"),
            admin("POST", "/api/v1/node/1/rename/" + long3k, null),
            admin(
                "POST",
                "/api/v1/node/1/transfer",
                "{\"user\":\"" + target + "\",\"reason\":\"" + nul + "\"}"),
            admin("POST", "/api/v1/auth/reject", "{\"auth_id\":\"" + nul + "\",\"reason\":\"x\"}"),
            admin("PUT", "/api/v1/policy", "{\"policy\":\"{\\\"acls\\\":[]" + nul + "}\"}"),
            admin("POST", "/api/v1/policy/check", "{\"policy\":\"{}" + nul + "\"}"),
            // over the policy bound, under the body limit
            admin("PUT", "/api/v1/policy", "{\"policy\":\"" + "q".repeat(600 * 1024) + "\"}"));
    for (Answer answer : inBodies) {
      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(answer.contentType()).as(answer.toString()).contains("problem+json");
      assertThat(answer.json().path("field").asText()).as(answer.toString()).isNotEmpty();
    }
    // in a URL the container may refuse first; either way a 4xx and nothing dispatched
    List<Answer> inUrls =
        List.of(
            admin("GET", "/api/v1/user?email=a%00b", null),
            admin("GET", "/api/v1/user?name=" + long3k, null),
            admin("GET", "/api/v1/audit?actor=a%00b", null),
            admin("GET", "/api/v1/preauthkey?user=a%00b", null),
            admin("POST", "/api/v1/node/1/expire?expiry=" + FAR_FUTURE.replace("+", "%2B"), null),
            admin("DELETE", "/api/v1/apikey/" + long3k, null));
    for (Answer answer : inUrls) {
      assertThat(answer.status()).as(answer.toString()).isBetween(400, 499);
    }
    // the body limit answers this one (a 413 once over-limit bodies are answered so)
    Answer hugePolicy =
        admin("PUT", "/api/v1/policy", "{\"policy\":\"" + "q".repeat(10 * 1024 * 1024) + "\"}");
    assertThat(hugePolicy.status()).as(hugePolicy.toString()).isNotEqualTo(200);
    // the admin key's use may be recorded; nothing else, and no refusal carrying a poison value
    assertThat(
            jdbc.queryForList(
                "SELECT payloadtype FROM domainevententry WHERE globalindex > ?",
                String.class,
                mark))
        .allMatch(
            type -> type.endsWith("ApiKeyUsedEvent") || type.endsWith("RegistrationExpiredEvent"));
    assertCleanSince(mark);

    String honest = createUser("after-" + RANDOM.nextInt(1_000_000));
    awaitTrue(() -> admin("GET", "/api/v1/user?id=" + honest, null).body().contains(honest));
    Answer key = admin("POST", "/api/v1/apikey", "{\"expiration\":\"2999-01-01T00:00:00Z\"}");
    assertThat(key.status()).as(key.toString()).isEqualTo(200);
    awaitTrue(() -> admin("GET", "/api/v1/apikey", null).body().contains("2999-01-01"));
  }

  @Test
  void shouldRecordABoundedExcerptWhenACommandFromAnotherPathCarriesAPoisonValue() {
    // past the edges (a command sent in-process): the aggregates refuse, recording an excerpt
    long mark = head();
    MetaData admin = AuditMetadata.of(Actor.system("it"), Origin.SYSTEM, "", null);
    List<Object> poisoned =
        List.of(
            new CreateUserCommand("q".repeat(3_000), null, null, null, null, null),
            new CreateUserCommand(
                "fine-" + RANDOM.nextInt(1_000_000), "a\u0000b", null, null, null, null),
            new CreateApiKeyCommand(Instant.parse(FAR_FUTURE)),
            new RequestRegistrationCommand(
                key("mkey:"), key("nodekey:"), "q".repeat(500_000), List.of(), null));
    for (Object command : poisoned) {
      assertThatThrownBy(() -> commands.sendAndWait(command, admin))
          .as(command.getClass().getSimpleName())
          .satisfies(
              e -> {
                Throwable t = e;
                while (t != null && !(t instanceof CommandRefusedException)) {
                  t = t.getCause();
                }
                assertThat(t).as("a refusal in %s", e.toString()).isNotNull();
              });
    }
    List<String> refusals =
        jdbc
            .queryForList(
                "SELECT payload FROM domainevententry WHERE globalindex > ? AND payloadtype LIKE"
                    + " '%CommandRefusedEvent'",
                byte[].class, mark)
            .stream()
            .map(p -> new String(p, StandardCharsets.UTF_8))
            .toList();
    assertThat(refusals).hasSize(poisoned.size());
    assertThat(refusals).anyMatch(p -> p.contains("(3000 chars)"));
    assertCleanSince(mark);
    String honest = createUser("after-refusal-" + RANDOM.nextInt(1_000_000));
    awaitTrue(() -> admin("GET", "/api/v1/audit?size=200", null).body().contains("after-refusal-"));
    assertThat(honest).isNotEmpty();
  }

  // ---- helpers

  /** No event since {@code mark} is oversized or carries a NUL or a run of the filler. */
  private void assertCleanSince(long mark) {
    List<Map<String, Object>> events =
        jdbc.queryForList(
            "SELECT payloadtype, payload, metadata FROM domainevententry WHERE globalindex > ?",
            mark);
    for (Map<String, Object> event : events) {
      String payload = new String((byte[]) event.get("payload"), StandardCharsets.UTF_8);
      String metadata =
          event.get("metadata") == null
              ? ""
              : new String((byte[]) event.get("metadata"), StandardCharsets.UTF_8);
      assertThat(payload.length() + metadata.length())
          .as("%s: %s", event.get("payloadtype"), payload)
          .isLessThan(EVENT_MAX_BYTES);
      assertThat(payload + metadata)
          .as("%s", event.get("payloadtype"))
          .doesNotContain("\\u0000")
          .doesNotContain("\u0000")
          .doesNotContain(FILLER_RUN);
    }
  }

  private long head() {
    Long head = jdbc.queryForObject("SELECT max(globalindex) FROM domainevententry", Long.class);
    return head == null ? -1 : head;
  }

  private JsonNode register(String machine, Map<String, Object> hostinfo, String expiry)
      throws Exception {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Version", 113);
    req.put("NodeKey", key("nodekey:"));
    req.put("Hostinfo", hostinfo);
    req.put("Expiry", expiry == null ? "0001-01-01T00:00:00Z" : expiry);
    return noise(machine, "POST /machine/register", req);
  }

  private JsonNode liteUpdate(
      String machine, String nodeKey, Map<String, Object> hostinfo, List<String> endpoints)
      throws Exception {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Version", 113);
    req.put("NodeKey", nodeKey);
    req.put("DiscoKey", key("discokey:"));
    req.put("Stream", false);
    req.put("OmitPeers", true);
    req.put("Hostinfo", hostinfo);
    if (endpoints != null) {
      req.put("Endpoints", endpoints);
    }
    return noise(machine, "POST /machine/map", req);
  }

  private JsonNode noise(String machine, String request, Object body) throws Exception {
    Path f = Path.of(DIR, "req-" + RANDOM.nextInt(1_000_000) + ".json").toAbsolutePath();
    Files.write(f, JSON.writeValueAsBytes(body));
    return TsHelperProcess.response(
        TsHelperProcess.startAs(port, serverKey.publicKeyText(), machine, "-req", request + " " + f)
            .get(90, TimeUnit.SECONDS),
        0);
  }

  private static String authIdOf(JsonNode response) throws IOException {
    assertThat(response.path("status").asInt()).as(response.toString()).isEqualTo(200);
    String url = JSON.readTree(response.path("body").asText()).path("AuthURL").asText();
    assertThat(url).as(response.toString()).contains("/register/");
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private String registrations() {
    return admin("GET", "/api/v1/registrations", null).body();
  }

  private JsonNode registration(String authId) {
    for (JsonNode r : admin("GET", "/api/v1/registrations", null).json().path("registrations")) {
      if (r.toString().contains(authId)) {
        return r;
      }
    }
    throw new AssertionError("no registration " + authId + " in " + registrations());
  }

  private String createUser(String name) {
    Answer created = admin("POST", "/api/v1/user", "{\"name\":\"" + name + "\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    return created.json().path("user").path("id").asText();
  }

  record Answer(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + this, e);
      }
    }

    @Override
    public String toString() {
      return status
          + " "
          + contentType
          + " "
          + (body.length() > 500 ? body.substring(0, 500) : body);
    }
  }

  private Answer admin(String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + initialApiKey());
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      // a server may close the connection on a body over its limit before reading it
      return new Answer(413, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String initialApiKey() {
    try {
      return Files.readString(Path.of(DIR, "data", "initial-api-key"), StandardCharsets.UTF_8)
          .trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String key(String type) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return type + HexFormat.of().formatHex(raw);
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 60 s for the read side").isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
