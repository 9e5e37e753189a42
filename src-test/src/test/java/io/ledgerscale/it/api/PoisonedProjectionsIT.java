// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerscale.cli.LedgerscaleCli;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.server.LedgerscaleApplication;
import io.ledgerscale.server.config.ConfigEnvironmentPostProcessor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Events the command side would never write today, written straight into the event store as an
 * attacker with an older version, a bug or a restored backup could have left them: a NUL in a
 * user's e-mail, an API key valid until +999999999-12-31, a 3,000-character actor name (an indexed
 * column of the audit trail), and a payload that cannot be read at all. No projection may stop on
 * any of them: honest commands after them still reach the views, the unreadable event is set aside
 * and shown (/health, the dead-letter list, the CLI), can be evicted, and a restart does not meet
 * it again. Runs its own server, since it poisons its event store and restarts it.
 */
class PoisonedProjectionsIT {
  private static final String DIR = "target/it-poisoned-projections";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ConfigurableApplicationContext server;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Path.of(DIR);
    Dirs.fresh(dir);
    Files.writeString(
        dir.resolve("config.yaml"),
        """
        server_url: http://127.0.0.1:8080
        listen_addr: 127.0.0.1:0
        metrics_listen_addr: 127.0.0.1:0
        data_dir: %s/data
        database:
          type: embedded
          embedded:
            port: 0
        """
            .formatted(dir.toAbsolutePath()));
    server = boot();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static ConfigurableApplicationContext boot() {
    return new SpringApplicationBuilder(LedgerscaleApplication.class)
        .properties(ConfigEnvironmentPostProcessor.CONFIG_PROPERTY + "=" + DIR + "/config.yaml")
        .run();
  }

  @Test
  void poisonedEventsNeverStopAProjection() throws Exception {
    createUser("honest-before");
    JdbcTemplate jdbc = server.getBean(JdbcTemplate.class);
    Map<String, Object> userRow =
        jdbc.queryForMap(
            "SELECT * FROM domainevententry WHERE payloadtype LIKE '%.UserCreatedEvent'"
                + " ORDER BY globalindex LIMIT 1");
    Map<String, Object> keyRow =
        jdbc.queryForMap(
            "SELECT * FROM domainevententry WHERE payloadtype LIKE '%.ApiKeyCreatedEvent'"
                + " ORDER BY globalindex LIMIT 1");

    ObjectNode nul = payload(userRow);
    nul.put("userId", 9_000_000_001L).put("name", "nul-user").put("email", "a\u0000b@example.com");
    append(jdbc, userRow, nul, metadata(userRow));

    ObjectNode forever = payload(keyRow);
    forever
        .put("apiKeyId", 9_000_000_002L)
        .put("prefix", "forever00001")
        .put("expiration", "+999999999-12-31T23:59:59Z");
    append(jdbc, keyRow, forever, metadata(keyRow));

    ObjectNode longActor = metadata(userRow);
    longActor.put("actorName", "x".repeat(3000));
    ObjectNode named = payload(userRow);
    named.put("userId", 9_000_000_003L).put("name", "long-actor-user");
    append(jdbc, userRow, named, longActor);

    String unreadableAggregate = "poison-" + UUID.randomUUID();
    long unreadable =
        append(
            jdbc,
            userRow,
            unreadableAggregate,
            "{\"userId\": \"not a number\", \"name\": [".getBytes(StandardCharsets.UTF_8),
            metadata(userRow));

    // metadata is read outside the guarded handlers (when a dead letter is stored, by
    // interceptors): unreadable metadata must not stop a processor either
    ObjectNode unreadableMeta = payload(userRow);
    unreadableMeta.put("userId", 9_000_000_004L).put("name", "unreadable-meta-user");
    appendRaw(
        jdbc,
        userRow,
        "poison-" + UUID.randomUUID(),
        JSON.writeValueAsBytes(unreadableMeta),
        "{\"actor\": \u0000 not json".getBytes(StandardCharsets.UTF_8));

    // later honest commands still reach the views
    String after = createUser("honest-after");
    RunningServer.awaitTrue(() -> userNames().contains("honest-after"));
    assertThat(userNames()).contains("unreadable-meta-user");
    RunningServer.awaitTrue(
        () ->
            admin()
                    .get(
                        "/api/v1/audit?target_type=user&target_id="
                            + after
                            + "&action=UserCreatedEvent")
                    .json()
                    .path("entries")
                    .size()
                == 1);
    assertThat(userNames()).contains("nul-user", "long-actor-user", "honest-before");
    RunningServer.awaitTrue(() -> admin().get("/api/v1/apikey").text().contains("forever00001"));

    // the unreadable event is set aside, and said so everywhere
    RunningServer.awaitTrue(() -> !deadLetters("users").isEmpty());
    JsonNode letter = deadLetters("users").get(0);
    assertThat(letter.path("position").asLong()).isEqualTo(unreadable);
    assertThat(letter.path("aggregateId").asText()).isEqualTo(unreadableAggregate);
    assertThat(letter.path("eventType").asText()).endsWith("UserCreatedEvent");
    assertThat(letter.path("error").asText()).isNotEmpty().hasSizeLessThan(600);
    assertThat(letter.path("sequence").asText()).isNotEmpty();
    // a later event of the same aggregate waits behind it, in order, rather than reaching the view
    ObjectNode later = payload(userRow);
    later.put("userId", 9_000_000_005L).put("name", "parked-behind");
    long parked =
        appendRaw(
            jdbc,
            userRow,
            unreadableAggregate,
            1,
            JSON.writeValueAsBytes(later),
            JSON.writeValueAsBytes(metadata(userRow)));
    RunningServer.awaitTrue(() -> deadLetters("users").size() == 2);
    assertThat(deadLetters("users"))
        .extracting(l -> l.path("position").asLong())
        .containsExactly(unreadable, parked);
    assertThat(userNames()).doesNotContain("parked-behind");

    Http.Answer health = admin().get("/api/v1/health");
    assertThat(health.json().path("projectionsError").asText())
        .contains("users")
        .contains("position " + unreadable)
        .contains(unreadableAggregate);
    Http.Answer actuator =
        new Http("http://127.0.0.1:" + server.getEnvironment().getProperty("local.management.port"))
            .get("/health");
    JsonNode projections = actuator.json().path("components").path("projections");
    assertThat(projections.path("status").asText()).as(actuator.toString()).isEqualTo("DEGRADED");
    assertThat(actuator.json().path("status").asText()).isEqualTo("DEGRADED");
    assertThat(projections.path("details").path("summary").asText())
        .contains("users")
        .contains("position " + unreadable);

    Cli health2 = cli("health");
    assertThat(health2.status()).as(health2.toString()).isEqualTo(1);
    assertThat(health2.out()).contains("users").contains("position " + unreadable);
    Cli listed = cli("deadletters", "list", "--group", "users");
    assertThat(listed.status()).as(listed.toString()).isZero();
    assertThat(listed.out()).contains(unreadableAggregate).contains(Long.toString(unreadable));

    // a retry cannot cure an unreadable event: it stays
    Http.Answer retried = admin().post("/api/v1/deadletters/users/retry", null);
    assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
    assertThat(retried.json().path("stillFailing").asLong()).isEqualTo(2);

    // every processing group but the live map (ADR 0005) has a queue
    for (String group :
        List.of(
            "users",
            "nodes",
            "api-keys",
            "pre-auth-keys",
            "pending-registrations",
            "policy",
            "policy-history",
            "ssh-checks",
            "audit-trail",
            "route-auto-approval")) {
      assertThat(admin().get("/api/v1/deadletters?group=" + group).status())
          .as(group)
          .isEqualTo(200);
    }
    assertThat(admin().get("/api/v1/deadletters?group=network-map").status()).isEqualTo(404);
    Http.Answer unknownGroup = admin().get("/api/v1/deadletters?group=nope");
    assertThat(unknownGroup.status()).isEqualTo(404);
    assertThat(unknownGroup.isProblem()).isTrue();
    assertThat(anonymous().get("/api/v1/deadletters").status()).isEqualTo(401);

    // a restart does not re-freeze: the token is past the poison, the dead letters are kept
    server.close();
    server = boot();
    createUser("honest-after-restart");
    RunningServer.awaitTrue(() -> userNames().contains("honest-after-restart"));
    assertThat(deadLetters("users")).hasSize(2);
    assertThat(deadLetters("audit-trail")).isNotEmpty();
    assertThat(userNames()).doesNotContain("parked-behind");

    // evicted, it is gone, and /health is whole again once every group is cleared
    String sequence = deadLetters("users").get(0).path("sequence").asText();
    Http.Answer evicted = admin().delete("/api/v1/deadletters/users/" + sequence);
    assertThat(evicted.status()).as(evicted.toString()).isEqualTo(200);
    assertThat(evicted.json().path("evicted").asInt()).isEqualTo(2);
    assertThat(deadLetters("users")).isEmpty();
    assertThat(admin().delete("/api/v1/deadletters/users/" + sequence).status()).isEqualTo(404);
    // the eviction and the retry are in the audit trail, with the key that asked for them
    RunningServer.awaitTrue(() -> projectionAudit("users").size() >= 2);
    List<JsonNode> decisions = projectionAudit("users");
    assertThat(decisions)
        .extracting(e -> e.path("action").asText())
        .contains("DeadLettersRetriedEvent", "DeadLettersEvictedEvent");
    assertThat(decisions)
        .allSatisfy(e -> assertThat(e.path("actorType").asText()).isEqualTo("API_KEY"));
    assertThat(
            decisions.stream()
                .filter(e -> e.path("action").asText().equals("DeadLettersEvictedEvent"))
                .findFirst()
                .orElseThrow()
                .toString())
        .contains(sequence);
    Set<String> sequences = new LinkedHashSet<>();
    for (JsonNode l : deadLetters(null)) {
      if (!sequences.add(l.path("group").asText() + " " + l.path("sequence").asText())) {
        continue;
      }
      Cli evict =
          cli(
              "deadletters",
              "evict",
              l.path("group").asText(),
              l.path("sequence").asText(),
              "--force");
      assertThat(evict.status()).as(evict.toString()).isZero();
    }
    assertThat(deadLetters(null)).isEmpty();
    assertThat(admin().get("/api/v1/health").json().has("projectionsError")).isFalse();
  }

  /** The audit trail's entries about one projection (dead-letter retries and evictions). */
  private static List<JsonNode> projectionAudit(String group) {
    List<JsonNode> entries = new ArrayList<>();
    admin()
        .get("/api/v1/audit?target_type=projection&target_id=" + group)
        .json()
        .path("entries")
        .forEach(entries::add);
    return entries;
  }

  private static ObjectNode payload(Map<String, Object> row) throws IOException {
    return (ObjectNode) JSON.readTree((byte[]) row.get("payload"));
  }

  private static ObjectNode metadata(Map<String, Object> row) throws IOException {
    return (ObjectNode) JSON.readTree((byte[]) row.get("metadata"));
  }

  private static long append(
      JdbcTemplate jdbc, Map<String, Object> like, ObjectNode payload, ObjectNode metadata)
      throws IOException {
    return append(
        jdbc, like, "poison-" + UUID.randomUUID(), JSON.writeValueAsBytes(payload), metadata);
  }

  /** A new aggregate's first event, shaped like {@code like}, with this payload and metadata. */
  private static long append(
      JdbcTemplate jdbc,
      Map<String, Object> like,
      String aggregate,
      byte[] payload,
      ObjectNode metadata)
      throws IOException {
    return appendRaw(jdbc, like, aggregate, payload, JSON.writeValueAsBytes(metadata));
  }

  private static long appendRaw(
      JdbcTemplate jdbc, Map<String, Object> like, String aggregate, byte[] payload, byte[] meta) {
    return appendRaw(jdbc, like, aggregate, 0, payload, meta);
  }

  private static long appendRaw(
      JdbcTemplate jdbc,
      Map<String, Object> like,
      String aggregate,
      long sequence,
      byte[] payload,
      byte[] meta) {
    Long index =
        jdbc.queryForObject(
            "INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type,"
                + " eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING globalindex",
            Long.class,
            aggregate,
            sequence,
            like.get("type"),
            UUID.randomUUID().toString(),
            meta,
            payload,
            like.get("payloadrevision"),
            like.get("payloadtype"),
            like.get("timestamp"));
    return index == null ? -1 : index;
  }

  private static String base() {
    return "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
  }

  private static Http anonymous() {
    return new Http(base());
  }

  private static Http admin() {
    return anonymous().bearer(apiKey());
  }

  private static String apiKey() {
    try {
      return Files.readString(Path.of(DIR, "data", "initial-api-key")).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String createUser(String name) {
    Http.Answer created = admin().post("/api/v1/user", "{\"name\":\"" + name + "\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    return created.json().path("user").path("id").asText();
  }

  private static List<String> userNames() {
    return admin().get("/api/v1/user").json().path("users").findValuesAsText("name");
  }

  private static List<JsonNode> deadLetters(String group) {
    Http.Answer list =
        admin().get("/api/v1/deadletters" + (group == null ? "" : "?group=" + group));
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    List<JsonNode> letters = new java.util.ArrayList<>();
    list.json().path("deadLetters").forEach(letters::add);
    return letters;
  }

  record Cli(int status, String out, String err) {}

  private static Cli cli(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--address";
    all[args.length + 1] = base();
    all[args.length + 2] = "--api-key";
    all[args.length + 3] = apiKey();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        LedgerscaleCli.run(
            all,
            Map.of("HOME", "/nonexistent"),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
