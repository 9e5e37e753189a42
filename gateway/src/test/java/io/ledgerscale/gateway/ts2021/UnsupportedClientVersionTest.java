// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.gateway.machine.MachineRouter;
import io.ledgerscale.gateway.machine.RegisterHandler;
import io.ledgerscale.gateway.machine.WhoamiHandler;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.TsHelper;
import io.undertow.util.Methods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients older than Tailscale v1.80 (capability version 113) are refused with a 400 that says why,
 * before the Noise connection is set up, as Headscale does; 113 itself is served. Driven by Go's
 * own controlbase initiator.
 */
class UnsupportedClientVersionTest {
  private ControlServer server;

  @BeforeEach
  void start() {
    RegisterHandler register =
        new RegisterHandler(
            DefaultCommandGateway.builder().commandBus(SimpleCommandBus.builder().build()).build(),
            DefaultQueryGateway.builder().queryBus(SimpleQueryBus.builder().build()).build(),
            ServerUrl.parse("http://127.0.0.1/"),
            Clock.systemUTC());
    server =
        new ControlServer(
            new MachineRouter()
                .add(Methods.GET, "/machine/whoami", new WhoamiHandler())
                .add(Methods.POST, "/machine/register", register));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<JsonNode> whoami(int version) {
    return TsHelper.run(
        List.of(
            "-addr",
            server.address(),
            "-server-key",
            server.key.publicKeyText(),
            "-version",
            Integer.toString(version),
            "-req",
            "GET /machine/whoami"));
  }

  @Test
  void cannotConnectWithACapabilityVersionBelow113() {
    List<JsonNode> out = whoami(112);

    JsonNode error = TsHelper.event(out, "error");
    assertThat(error.path("stage").asText()).isEqualTo("dial");
    assertThat(error.path("error").asText())
        .contains("400")
        .contains("unsupported client version: 112; the oldest supported is 113 (Tailscale v1.80)");
    assertThat(out).noneMatch(l -> "response".equals(l.path("event").asText()));
  }

  @Test
  void cannotConnectOverWebSocketWithACapabilityVersionBelow113() {
    List<JsonNode> out =
        TsHelper.run(
            List.of(
                "-addr",
                server.address(),
                "-server-key",
                server.key.publicKeyText(),
                "-websocket",
                "-version",
                "112",
                "-req",
                "GET /machine/whoami"));

    assertThat(TsHelper.event(out, "error").toString()).contains("unsupported client version: 112");
    assertThat(out).noneMatch(l -> "response".equals(l.path("event").asText()));
  }

  @Test
  void cannotRegisterWithACapabilityVersionBelow113(@TempDir Path dir) throws Exception {
    Path body = dir.resolve("register.json");
    Files.writeString(body, "{\"Version\":112,\"NodeKey\":\"nodekey:" + "ab".repeat(32) + "\"}");

    JsonNode response =
        TsHelper.response(
            TsHelper.run(
                List.of(
                    "-addr",
                    server.address(),
                    "-server-key",
                    server.key.publicKeyText(),
                    "-req",
                    "POST /machine/register " + body)),
            0);

    assertThat(response.path("status").asInt()).isEqualTo(400);
    assertThat(response.path("body").asText()).contains("unsupported client version: 112");
  }

  @Test
  void canConnectWithCapabilityVersion113() {
    List<JsonNode> out = whoami(113);

    assertThat(TsHelper.response(out, 0).path("status").asInt()).isEqualTo(200);
  }
}
