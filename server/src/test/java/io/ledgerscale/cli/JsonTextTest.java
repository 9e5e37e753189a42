// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's mapper-free JSON reads and writes what Jackson's ObjectMapper would. */
class JsonTextTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void shouldReadTheTreesTheMapperReads() throws IOException {
    for (String text :
        List.of(
            "{}",
            "[]",
            "{\"users\":[{\"id\":\"1\",\"name\":\"alice\",\"createdAt\":\"2026-12-02T10:00:00Z\"}]}",
            "{\"n\":42,\"big\":12345678901234,\"huge\":123456789012345678901234567890,"
                + "\"f\":1.5E-4,\"g\":0.1,\"t\":true,\"no\":false,\"nothing\":null}",
            "{\"a\":{\"b\":[1,[2,[3,{\"c\":\"\\u00e9\\n\"}]]]},\"a2\":[]}",
            "\"just text\"",
            "17",
            "{\"same\":1,\"same\":2}")) {
      assertThat(JsonText.parse(text)).as(text).isEqualTo(MAPPER.readTree(text));
    }
    assertThat(JsonText.parse("  ")).isEqualTo(MAPPER.createObjectNode());
  }

  @Test
  void shouldWriteWhatTheMapperWrites() throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", "alice");
    body.put("reusable", true);
    body.put("expiration", "2026-12-03T00:00:00Z");
    body.put("aclTags", List.of("tag:a", "tag:b"));
    body.put("count", 3);
    body.put("id", 9_000_000_000L);
    body.put("huge", new BigInteger("123456789012345678901234567890"));
    body.put("ratio", 0.25);
    body.put("nested", Map.of("k", List.of()));
    body.put("tree", MAPPER.readTree("{\"x\":[1,2.5,\"y\",null,{\"z\":false}]}"));
    body.put("nothing", null);

    assertThat(new String(JsonText.bytes(body), StandardCharsets.UTF_8))
        .isEqualTo(MAPPER.writeValueAsString(body));
  }

  @Test
  void shouldReadYamlAsTheYamlMapperDoes() throws IOException {
    String yaml =
        "server_url: https://h.example\nlisten_addr: 0.0.0.0:8080\ncli:\n  timeout: 5s\n"
            + "  insecure: false\nlist:\n  - 1\n  - two\n";
    try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
      assertThat(JsonText.read(parser)).isEqualTo(new YAMLMapper().readTree(yaml));
    }
    try (JsonParser empty = new YAMLFactory().createParser("")) {
      assertThat(JsonText.read(empty)).isNull();
    }
  }

  @Test
  void shouldRefuseAnAnswerNestedDeeperThanTheBound() {
    String deep = "[".repeat(600) + "]".repeat(600);

    assertThatThrownBy(() -> JsonText.parse(deep))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nesting depth");
  }
}
