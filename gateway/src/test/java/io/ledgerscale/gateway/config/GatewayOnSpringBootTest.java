// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.gateway.support.TsHelper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The gateway on Spring Boot's own Undertow, next to an ordinary servlet endpoint on the same port.
 */
@SpringBootTest(
    classes = GatewayOnSpringBootTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"axon.axonserver.enabled=false"})
class GatewayOnSpringBootTest {
  @TempDir static Path dataDir;

  @SpringBootApplication
  @RestController
  static class App {
    @GetMapping("/hello")
    String hello() {
      return "servlet";
    }

    /** The server publishes the one it parsed from server_url; the gateway has no default. */
    @Bean
    ServerUrl serverUrl() {
      return ServerUrl.parse("http://127.0.0.1:8080");
    }
  }

  @DynamicPropertySource
  static void keyPath(DynamicPropertyRegistry registry) {
    registry.add("noise.private_key_path", () -> dataDir.resolve("noise_private.key").toString());
  }

  @LocalServerPort int port;
  @Autowired ServerMachineKey key;

  @Test
  void shouldServeKeyAndTs2021BesideTheServletApplication() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> keyResponse =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/key?v=113")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(keyResponse.body()).contains("\"publicKey\":\"" + key.publicKeyText() + "\"");
    assertThat(Files.readString(dataDir.resolve("noise_private.key"))).startsWith("privkey:");

    HttpResponse<String> servlet =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(servlet.body()).isEqualTo("servlet");

    List<JsonNode> out =
        TsHelper.run(
            List.of(
                "-addr",
                "127.0.0.1:" + port,
                "-server-key",
                key.publicKeyText(),
                "-req",
                "GET /machine/whoami",
                "-req",
                "POST /machine/register"));
    JsonNode whoami = TsHelper.response(out, 0);
    assertThat(whoami.path("status").asInt()).isEqualTo(200);
    assertThat(whoami.path("proto").asText()).isEqualTo("HTTP/2.0");
    assertThat(whoami.path("body").asText())
        .contains(TsHelper.event(out, "handshake").path("machineKey").asText());
    // register is routed (to Axon's gateway); an empty body is refused before any command
    assertThat(TsHelper.response(out, 1).path("status").asInt()).isEqualTo(400);
  }
}
