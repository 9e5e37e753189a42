// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.ledger.ExportVerifier;
import io.ledgerscale.domain.ledger.NoteVerifier;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.it.e2e.support.Ports;
import io.ledgerscale.server.LedgerscaleApplication;
import io.ledgerscale.server.config.ConfigEnvironmentPostProcessor;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of one deployment on one PostgreSQL, each with its own signing key: commands go
 * through both while both follow the store, and each instance's export verifies with its own key,
 * is the same tree (same size, same root), and shows the other instance's checkpoint as part of its
 * history.
 */
class AuditLedgerTwoInstancesIT {
  private static final String DIR = "target/it-audit-ledger-two";

  @Test
  void twoInstancesSignOneConsistentTree() throws Exception {
    Path dir = Dirs.fresh(Path.of(DIR)).toAbsolutePath();
    int pg = Ports.freeTcp();
    Path one =
        Files.writeString(
            dir.resolve("one.yaml"),
            """
            server_url: http://one.example.com
            listen_addr: 127.0.0.1:0
            metrics_listen_addr: ""
            data_dir: %s/one
            database:
              type: embedded
              embedded:
                port: %d
            audit_ledger:
              follow_interval: 50ms
            """
                .formatted(dir, pg));
    Path two =
        Files.writeString(
            dir.resolve("two.yaml"),
            """
            server_url: http://two.example.com
            listen_addr: 127.0.0.1:0
            metrics_listen_addr: ""
            data_dir: %1$s/two
            database:
              type: postgres
              postgres:
                host: localhost
                port: %2$d
                name: ledgerscale
                user: postgres
                password_file: %1$s/one/postgres.password
            audit_ledger:
              follow_interval: 50ms
            """
                .formatted(dir, pg));
    try (ConfigurableApplicationContext first = boot(one);
        ConfigurableApplicationContext second = boot(two)) {
      Http a = admin(first, dir.resolve("one/initial-api-key"));
      Http b = admin(second, dir.resolve("one/initial-api-key"));
      for (int i = 0; i < 10; i++) {
        Http via = i % 2 == 0 ? a : b;
        Http.Answer created = via.post("/api/v1/user", "{\"name\":\"two-" + i + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
      }
      // a gap (a command retried after a conflict between the instances rolls back its insert)
      // holds the ledger back until it is settled: wait until every event is chained
      long events =
          first
              .getBean(org.springframework.jdbc.core.JdbcTemplate.class)
              .queryForObject("SELECT count(*) FROM domainevententry", Long.class);
      RunningServer.awaitTrue(
          () ->
              a.post("/api/v1/audit/checkpoint", null).json().path("treeSize").asLong() == events);
      Http.Answer cpA = a.post("/api/v1/audit/checkpoint", null);
      Http.Answer cpB = b.post("/api/v1/audit/checkpoint", null);
      NoteVerifier keyA = NoteVerifier.parse(cpA.json().path("verifierKey").asText());
      NoteVerifier keyB = NoteVerifier.parse(cpB.json().path("verifierKey").asText());
      assertThat(keyA.keyText()).isNotEqualTo(keyB.keyText());
      long size = cpA.json().path("treeSize").asLong();
      assertThat(cpB.json().path("treeSize").asLong()).isGreaterThanOrEqualTo(size);
      if (cpB.json().path("treeSize").asLong() == size) {
        assertThat(cpB.json().path("rootHash").asText())
            .as("one tree")
            .isEqualTo(cpA.json().path("rootHash").asText());
      }

      String exportB = export(b);
      // B's export, with A's key trusted too, shows A's checkpoint as part of its history
      ExportVerifier.Report report =
          new ExportVerifier(List.of(keyA, keyB), List.of(cpA.json().path("note").asText()))
              .verify(new BufferedReader(new StringReader(exportB)));
      assertThat(report.failure()).isNull();
      assertThat(report.entries()).isEqualTo(events);
      // and B's key alone does not vouch for A's checkpoint
      assertThat(
              new ExportVerifier(List.of(keyB), List.of(cpA.json().path("note").asText()))
                  .verify(new BufferedReader(new StringReader(exportB)))
                  .failure())
          .contains("not signed by a trusted key");
    }
  }

  private static ConfigurableApplicationContext boot(Path config) {
    return new SpringApplicationBuilder(LedgerscaleApplication.class)
        .properties(ConfigEnvironmentPostProcessor.CONFIG_PROPERTY + "=" + config)
        .run();
  }

  private static Http admin(ConfigurableApplicationContext server, Path keyFile) throws Exception {
    return new Http("http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port"))
        .bearer(Files.readString(keyFile).trim());
  }

  private static String export(Http admin) {
    List<String> lines = new ArrayList<>();
    long after = -1;
    long treeSize = 0;
    do {
      Http.Answer page =
          admin.get(
              "/api/v1/audit/export?after="
                  + after
                  + (treeSize > 0 ? "&tree_size=" + treeSize : ""));
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().path("lines").forEach(l -> lines.add(l.asText()));
      treeSize = page.json().path("treeSize").asLong();
      after = page.json().path("nextAfter").asLong();
    } while (after >= 0);
    return String.join("\n", lines) + "\n";
  }
}
