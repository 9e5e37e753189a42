// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class HeadscaleJsonTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void shouldPrintNodesTheWayHeadscalesCliDoes() throws Exception {
    JsonNode rest =
        json.readTree(
            """
        {"id":"7","machineKey":"mkey:ab","ipAddresses":["100.64.0.1"],"name":"laptop",
         "user":{"id":"1","name":"alice","createdAt":"2026-01-02T03:04:05Z","email":""},
         "lastSeen":null,"expiry":"2026-01-02T03:04:05.5Z","registerMethod":"REGISTER_METHOD_AUTH_KEY",
         "givenName":"laptop","online":false,"approvedRoutes":[],"tags":["tag:a"]}""");

    JsonNode cli = HeadscaleJson.of(rest);

    assertThat(cli.toString())
        .isEqualTo(
            "{\"id\":7,\"machine_key\":\"mkey:ab\",\"ip_addresses\":[\"100.64.0.1\"],"
                + "\"name\":\"laptop\",\"user\":{\"id\":1,\"name\":\"alice\",\"created_at\":{\"seconds\":1767323045}},"
                + "\"expiry\":{\"seconds\":1767323045,\"nanos\":500000000},\"register_method\":1,\"given_name\":\"laptop\","
                + "\"tags\":[\"tag:a\"]}");
  }

  @Test
  void shouldKeepTopLevelListsAndEmptyAnswers() throws Exception {
    assertThat(HeadscaleJson.of(json.readTree("[]")).toString()).isEqualTo("[]");
    assertThat(HeadscaleJson.of(json.readTree("{}")).toString()).isEqualTo("{}");
    assertThat(HeadscaleJson.of(json.readTree("\"lskey-api-x\"")).asText())
        .isEqualTo("lskey-api-x");
  }

  @Test
  void shouldTurnCamelCaseIntoSnakeCase() {
    assertThat(HeadscaleJson.snake("preAuthKeys")).isEqualTo("pre_auth_keys");
    assertThat(HeadscaleJson.snake("id")).isEqualTo("id");
    assertThat(HeadscaleJson.snake("Result")).isEqualTo("result");
  }
}
