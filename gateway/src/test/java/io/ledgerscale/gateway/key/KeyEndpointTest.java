// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.key;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.gateway.machine.MachineRouter;
import io.ledgerscale.gateway.support.ControlServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeyEndpointTest {
  private static ControlServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = new ControlServer(new MachineRouter());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + server.address() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldReturnTheNoisePublicKeyAsTailscaleAndHeadscaleDo() throws Exception {
    HttpResponse<String> r = get("/key?v=113");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(r.body())
        .isEqualTo(
            "{\"legacyPublicKey\":\"mkey:"
                + "0".repeat(64)
                + "\",\"publicKey\":\""
                + server.key.publicKeyText()
                + "\"}");
  }

  @Test
  void cannotAnswerWithoutANumericVersion() throws Exception {
    assertThat(get("/key").statusCode()).isEqualTo(400);
    assertThat(get("/key?v=").statusCode()).isEqualTo(400);
    assertThat(get("/key?v=abc").statusCode()).isEqualTo(400);
  }

  @Test
  void shouldAnswerPreNoiseClientsWithAnEmptyBody() throws Exception {
    HttpResponse<String> r = get("/key?v=38");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(get("/key?v=39").body()).contains(server.key.publicKeyText());
  }

  @Test
  void cannotBePostedTo() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + server.address() + "/key?v=113"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void shouldLeaveOtherPathsToTheNextHandler() throws Exception {
    assertThat(get("/keys").statusCode()).isEqualTo(404);
    assertThat(get("/").statusCode()).isEqualTo(404);
  }
}
