// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.machine.MachineRouter;
import io.ledgerscale.gateway.machine.WhoamiHandler;
import io.ledgerscale.gateway.noise.Curve25519;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.TsHelper;
import io.undertow.util.Methods;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our responder and HTTP/2-inside-Noise against Tailscale's own Go initiator (controlbase) and Go's
 * HTTP/2 client.
 */
class Ts2021GoInteropTest {
  private ControlServer server;

  @BeforeEach
  void start() {
    server =
        new ControlServer(
            new MachineRouter().add(Methods.GET, "/machine/whoami", new WhoamiHandler()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<JsonNode> helper(String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("-addr", server.address(), "-server-key", server.key.publicKeyText()));
    args.addAll(List.of(extra));
    return TsHelper.run(args);
  }

  @Test
  void canHandshakeWithTailscalesGoInitiatorAndServeHttp2InsideNoise() {
    List<JsonNode> out = helper("-req", "GET /machine/whoami");

    JsonNode hs = TsHelper.event(out, "handshake");
    assertThat(hs.path("early").path("nodeKeyChallenge").asText()).matches("chalpub:[0-9a-f]{64}");
    JsonNode r = TsHelper.response(out, 0);
    assertThat(r.path("status").asInt()).isEqualTo(200);
    assertThat(r.path("proto").asText()).isEqualTo("HTTP/2.0");
    // the server saw exactly the machine key the Go client proved in the handshake
    assertThat(r.path("body").asText())
        .contains("\"machineKey\":\"" + hs.path("machineKey").asText() + "\"")
        .contains("\"protocolVersion\":113");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.80.3", "v1.102.5"})
  void canHandshakeWithTheInitiatorOfEachPinnedRelease(String version) {
    for (String transport : List.of("-websocket=false", "-websocket=true")) {
      List<JsonNode> out =
          TsHelper.run(
              version,
              List.of(
                  transport,
                  "-addr",
                  server.address(),
                  "-server-key",
                  server.key.publicKeyText(),
                  "-req",
                  "GET /machine/whoami"));
      assertThat(TsHelper.response(out, 0).path("body").asText())
          .contains(TsHelper.event(out, "handshake").path("machineKey").asText());
    }
  }

  @Test
  void shouldUseTheProtocolVersionTheClientSent() {
    List<JsonNode> out = helper("-version", "145", "-req", "GET /machine/whoami");
    assertThat(TsHelper.response(out, 0).path("body").asText()).contains("\"protocolVersion\":145");
  }

  @Test
  void shouldUseAFreshChallengePerConnection() {
    String a =
        TsHelper.event(helper(), "handshake").path("early").path("nodeKeyChallenge").asText();
    String b =
        TsHelper.event(helper(), "handshake").path("early").path("nodeKeyChallenge").asText();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void cannotHandshakeWhenTheClientExpectsAnotherServerKey() {
    String other =
        KeyText.format(
            KeyText.MACHINE_PUBLIC,
            Curve25519.publicKey(Curve25519.generatePrivate(new SecureRandom())));
    List<JsonNode> out =
        TsHelper.run(
            List.of(
                "-addr", server.address(), "-server-key", other, "-req", "GET /machine/whoami"));
    assertThat(TsHelper.event(out, "error").path("stage").asText()).isEqualTo("dial");
    // and the server is unharmed
    assertThat(TsHelper.response(helper("-req", "GET /machine/whoami"), 0).path("status").asInt())
        .isEqualTo(200);
  }

  @Test
  void canServeManyRequestsOnOneConnection() {
    String[] args = new String[2 * 40 + 1];
    args[0] = "-parallel";
    for (int i = 0; i < 40; i++) {
      args[1 + 2 * i] = "-req";
      args[2 + 2 * i] = "GET /machine/whoami";
    }
    List<JsonNode> out = helper(args);
    for (int i = 0; i < 40; i++) {
      assertThat(TsHelper.response(out, i).path("status").asInt()).isEqualTo(200);
    }
  }

  @Test
  void shouldAnswerUnknownPathsWith404InsideNoise() {
    List<JsonNode> out = helper("-req", "GET /machine/nope", "-req", "POST /machine/whoami");
    assertThat(TsHelper.response(out, 0).path("status").asInt()).isEqualTo(404);
    assertThat(TsHelper.response(out, 1).path("status").asInt()).isEqualTo(405);
  }

  @Test
  void canServeTheBrowserWebSocketVariant() {
    List<JsonNode> out =
        helper(
            "-websocket",
            "-parallel",
            "-req",
            "GET /machine/whoami",
            "-req",
            "GET /machine/whoami");
    JsonNode hs = TsHelper.event(out, "handshake");
    assertThat(hs.path("early").isNull()).as("no early payload on the WebSocket path").isTrue();
    for (int i = 0; i < 2; i++) {
      JsonNode r = TsHelper.response(out, i);
      assertThat(r.path("status").asInt()).isEqualTo(200);
      assertThat(r.path("proto").asText()).isEqualTo("HTTP/2.0");
      assertThat(r.path("body").asText()).contains(hs.path("machineKey").asText());
    }
  }

  @Test
  void cannotOpenTheWebSocketVariantWithTheWrongServerKey() {
    String other =
        KeyText.format(
            KeyText.MACHINE_PUBLIC,
            Curve25519.publicKey(Curve25519.generatePrivate(new SecureRandom())));
    List<JsonNode> out =
        TsHelper.run(
            List.of(
                "-websocket",
                "-addr",
                server.address(),
                "-server-key",
                other,
                "-req",
                "GET /machine/whoami"));
    assertThat(TsHelper.event(out, "error").path("stage").asText()).isEqualTo("dial");
  }
}
