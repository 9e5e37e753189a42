// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit ledger through the real server, REST and CLI: a chain built across a restart verifies
 * offline against the checkpoint kept before the restart, a proof verifies on its own, the OCSF
 * export verifies too, and a row changed in the event table afterwards is named by verify.
 */
class AuditLedgerIT {
  private static final String DIR = "target/it-audit-ledger";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ConfigurableApplicationContext server;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Dirs.fresh(Path.of(DIR));
    Files.writeString(
        dir.resolve("config.yaml"),
        """
        server_url: http://ledger.example.com:8080
        listen_addr: 127.0.0.1:0
        metrics_listen_addr: ""
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
  void aChainAcrossARestartVerifiesOfflineAndTamperingIsNamed() throws Exception {
    Path keyFile = Path.of(DIR, "data", "audit_signing.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    createUser("ledger-alice");
    createUser("ledger-bob");
    Http.Answer first = admin().post("/api/v1/audit/checkpoint", null);
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    String key = first.json().path("verifierKey").asText();
    assertThat(key).startsWith("ledger.example.com/audit+");
    String firstNote = first.json().path("note").asText();
    assertThat(firstNote).startsWith("ledger.example.com/audit\n");
    long firstSize = first.json().path("treeSize").asLong();
    assertThat(firstSize).isGreaterThanOrEqualTo(2);
    Path kept = Files.writeString(Path.of(DIR, "kept-checkpoint.txt"), firstNote);

    server.close();
    server = boot();
    String keyText = Files.readString(keyFile);
    createUser("ledger-carol");
    Http.Answer second = admin().post("/api/v1/audit/checkpoint", null);
    assertThat(second.json().path("verifierKey").asText()).as("the key survives").isEqualTo(key);
    assertThat(second.json().path("treeSize").asLong()).isGreaterThan(firstSize);
    assertThat(Files.readString(keyFile)).isEqualTo(keyText);

    Path export = Path.of(DIR, "export.jsonl");
    Cli exported = cli("audit", "export", "--file", export.toString());
    assertThat(exported.status()).as(exported.err()).isZero();
    List<String> lines = Files.readAllLines(export);
    long entries = lines.stream().filter(l -> l.contains("\"record\":\"entry\"")).count();
    assertThat(entries).isEqualTo(second.json().path("treeSize").asLong());
    // every stored event is in the ledger, in global-index order; after the export's last entry
    // the store holds only the export itself, recorded as a read of the trail
    long last =
        lines.stream()
            .map(java.util.regex.Pattern.compile("\"global_index\":(\\d+)")::matcher)
            .filter(java.util.regex.Matcher::find)
            .mapToLong(m -> Long.parseLong(m.group(1)))
            .max()
            .orElseThrow();
    JdbcTemplate jdbc = server.getBean(JdbcTemplate.class);
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM domainevententry WHERE globalindex <= ?", Long.class, last))
        .isEqualTo(entries);
    assertThat(
            jdbc.queryForList(
                "SELECT payloadtype FROM domainevententry WHERE globalindex > ?",
                String.class,
                last))
        .isNotEmpty()
        .allMatch(t -> t.endsWith(".AuditTrailReadEvent"));

    Cli verified =
        cli("audit", "verify", export.toString(), "--key", key, "--checkpoint", kept.toString());
    assertThat(verified.status()).as(verified.err()).isZero();
    assertThat(verified.out()).startsWith("OK: " + entries + " entries verified");

    // something of every OCSF class the export emits: a node, a refused and a granted tag change
    Http.Answer box =
        admin().post("/api/v1/debug/node", "{\"user\":\"ledger-alice\",\"name\":\"ledger-box\"}");
    assertThat(box.status()).as(box.toString()).isEqualTo(200);
    String boxId = box.json().path("node").path("id").asText();
    assertThat(admin().post("/api/v1/node/" + boxId + "/tags", "{\"tags\":[\"tag:db\"]}").status())
        .isEqualTo(400);
    Http.Answer policy =
        admin()
            .put("/api/v1/policy", "{\"policy\": \"{\\\"tagOwners\\\": {\\\"tag:db\\\": []}}\"}");
    assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
    Http.Answer tagged = admin().post("/api/v1/node/" + boxId + "/tags", "{\"tags\":[\"tag:db\"]}");
    assertThat(tagged.status()).as(tagged.toString()).isEqualTo(200);

    Cli ocsf = cli("audit", "export", "--format", "ocsf", "--file", DIR + "/export.ocsf");
    assertThat(ocsf.status()).as(ocsf.err()).isZero();
    List<String> ocsfLines = Files.readAllLines(Path.of(DIR, "export.ocsf"));
    java.util.Set<Integer> classes = new java.util.TreeSet<>();
    for (int i = 0; i < ocsfLines.size(); i++) {
      List<String> violations = OcsfSchema.check(ocsfLines.get(i));
      assertThat(violations)
          .as(
              "export.ocsf line %d against OCSF %s: %.400s",
              i + 1, OcsfSchema.VERSION, ocsfLines.get(i))
          .isEmpty();
      classes.add(JSON.readTree(ocsfLines.get(i)).path("class_uid").asInt());
    }
    assertThat(classes).containsExactly(3001, 3005, 6003);
    assertThat(ocsfLines)
        .anyMatch(l -> l.contains("\"privileges\":[\"tag:db\"]"))
        .anyMatch(l -> l.contains("\"event_code\":\"CommandRefusedEvent\""));
    assertThat(cli("audit", "verify", DIR + "/export.ocsf", "--key", key).status()).isZero();

    // an inclusion proof for carol's creation verifies on its own
    String eventId =
        jdbc.queryForObject(
            "SELECT event_id FROM audit_entry WHERE action = 'UserCreatedEvent'"
                + " ORDER BY global_index DESC LIMIT 1",
            String.class);
    Cli proof = cli("audit", "prove", eventId, "--key", key);
    assertThat(proof.status()).as(proof.err()).isZero();
    assertThat(proof.out()).contains("\"event_id\":\"" + eventId + "\"");

    // someone with the database rewrites alice's creation: verify names that entry
    long alice =
        jdbc.queryForObject(
            "SELECT global_index FROM audit_entry WHERE action = 'UserCreatedEvent'"
                + " ORDER BY global_index LIMIT 1",
            Long.class);
    jdbc.update(
        "UPDATE domainevententry SET payload = convert_to(replace(convert_from(payload, 'UTF8'),"
            + " 'ledger-alice', 'ledger-mallory'), 'UTF8') WHERE globalindex = ?",
        alice);
    Path tampered = Path.of(DIR, "tampered.jsonl");
    assertThat(cli("audit", "export", "--file", tampered.toString()).status()).isZero();
    Cli refused = cli("audit", "verify", tampered.toString(), "--key", key);
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("(global index " + alice + ",").contains("altered");

    // a key nobody trusts proves nothing
    Cli untrusted =
        cli(
            "audit",
            "verify",
            export.toString(),
            "--key",
            "someone+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
    assertThat(untrusted.status()).isEqualTo(1);
  }

  @Test
  void badRequestsAreRefusedWithAProblem() {
    assertThat(admin().get("/api/v1/audit/export?format=csv").status()).isEqualTo(400);
    assertThat(admin().get("/api/v1/audit/export?limit=0").status()).isEqualTo(400);
    assertThat(admin().get("/api/v1/audit/proof/no%20such").status()).isEqualTo(400);
    assertThat(admin().get("/api/v1/audit/proof/999999999").status()).isEqualTo(404);
    assertThat(admin().get("/api/v1/audit/export?tree_size=999999999").status()).isEqualTo(404);
    assertThat(new Http(base()).get("/api/v1/audit/checkpoint").status()).isEqualTo(401);
  }

  private static String base() {
    return "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
  }

  private static Http admin() {
    return new Http(base()).bearer(apiKey());
  }

  private static String apiKey() {
    try {
      return Files.readString(Path.of(DIR, "data", "initial-api-key")).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void createUser(String name) {
    Http.Answer created = admin().post("/api/v1/user", "{\"name\":\"" + name + "\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
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
