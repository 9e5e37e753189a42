// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.gateway.tailcfg.DNSConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dns.extra_records and its file: what clients get, and what is refused before they could. */
class ExtraDnsRecordsTest {
  @TempDir Path tmp;

  private Path file(String text) throws IOException {
    return Files.writeString(tmp.resolve("records-" + System.nanoTime() + ".json"), text);
  }

  @Test
  void canReadTheFileAsHeadscaleWritesItWithKeysInAnyCaseAndDuplicatesOnce() throws IOException {
    Path f =
        file(
            """
            [
              {"name": "grafana.example.com", "type": "A", "value": "100.64.0.3"},
              {"Name": "wiki.example.com.", "Type": "aaaa", "Value": "fd7a:115c:a1e0::3"},
              {"name": "grafana.example.com", "type": "A", "value": "100.64.0.3", "note": "x"}
            ]
            """);

    assertThat(ExtraDnsRecords.read(f))
        .containsExactly(
            new DNSConfig.DNSRecord("grafana.example.com", "A", "100.64.0.3"),
            new DNSConfig.DNSRecord("wiki.example.com.", "AAAA", "fd7a:115c:a1e0::3"));
  }

  @Test
  void shouldTakeAnEmptyFileForOneCaughtHalfWritten() throws IOException {
    assertThat(ExtraDnsRecords.read(file(""))).isNull();
    assertThat(ExtraDnsRecords.read(file("[]"))).isEmpty();
  }

  @Test
  void cannotLoadRecordsClientsWouldNotAnswerOrThatAreTooLarge() throws IOException {
    assertRefused(
        "[{\"name\":\"a.example.com\",\"type\":\"CNAME\",\"value\":\"b.example.com\"}]",
        "type: 'CNAME' is not supported");
    assertRefused(
        "[{\"name\":\"a.example.com\",\"type\":\"A\",\"value\":\"fd7a::1\"}]",
        "A needs an IPv4 address");
    assertRefused(
        "[{\"name\":\"a.example.com\",\"type\":\"AAAA\",\"value\":\"100.64.0.1\"}]",
        "AAAA needs an IPv6 address");
    assertRefused(
        "[{\"name\":\"a.example.com\",\"type\":\"A\",\"value\":\"example.org\"}]",
        "is not an IP address");
    assertRefused(
        "[{\"name\":\"bad name\",\"type\":\"A\",\"value\":\"100.64.0.1\"}]", "is not a DNS name");
    assertRefused(
        "[{\"name\":\"" + "a".repeat(64) + ".com\",\"type\":\"A\",\"value\":\"1.2.3.4\"}]",
        "is not a DNS name");
    assertRefused("[{\"type\":\"A\",\"value\":\"100.64.0.1\"}]", "name: required");
    assertRefused("[{\"name\":1,\"type\":\"A\",\"value\":\"100.64.0.1\"}]", "must be a string");
    assertRefused("{\"name\":\"a\"}", "must be a JSON array");
    assertRefused("[{\"name\":", "not JSON");
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i <= ExtraDnsRecords.MAX_RECORDS; i++) {
      many.append(i == 0 ? "" : ",")
          .append("{\"name\":\"h")
          .append(i)
          .append(".example.com\",\"type\":\"A\",\"value\":\"100.64.0.1\"}");
    }
    assertRefused(many.append("]").toString(), "at most " + ExtraDnsRecords.MAX_RECORDS);
    Path huge = tmp.resolve("huge.json");
    Files.write(huge, new byte[ExtraDnsRecords.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> ExtraDnsRecords.read(huge))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("larger than");
    assertThatThrownBy(() -> ExtraDnsRecords.read(tmp.resolve("missing.json")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read");
  }

  @Test
  void cannotStartWithABadRecordInTheConfigOrWithBothTheRecordsAndTheirFile() throws IOException {
    Path bad =
        Files.writeString(
            tmp.resolve("bad.yaml"),
            "dns:\n  extra_records:\n    - {name: a.example.com, type: TXT, value: hi}\n",
            StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ConfigLoader.load(bad.toString(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dns.extra_records[0].type: 'TXT' is not supported");

    Path both =
        Files.writeString(
            tmp.resolve("both.yaml"),
            "dns:\n  extra_records:\n    - {name: a.example.com, type: A, value: 100.64.0.1}\n"
                + "  extra_records_path: /etc/ledgerscale/records.json\n",
            StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ConfigLoader.load(both.toString(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not both");
  }

  private void assertRefused(String json, String message) throws IOException {
    Path f = file(json);
    assertThatThrownBy(() -> ExtraDnsRecords.read(f))
        .as(json.length() > 200 ? json.substring(0, 200) : json)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
