// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DerpHttpEndpointsTest {
  private final RelayServer server = new RelayServer(DerpAdmission.anyone());
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAnswerOkToAnyOrigin() throws Exception {
    for (String p : new String[] {"/derp/probe", "/derp/latency-check"}) {
      HttpResponse<String> r = get(p);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    }
  }

  @Test
  void generate204EchoesAWellFormedChallengeOnly() throws Exception {
    HttpResponse<String> r = get("/generate_204", "X-Tailscale-Challenge", "abc.123");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("X-Tailscale-Response")).contains("response abc.123");
    HttpResponse<String> odd = get("/generate_204", "X-Tailscale-Challenge", "a b\u00e9");
    assertThat(odd.statusCode()).isEqualTo(204);
    assertThat(odd.headers().firstValue("X-Tailscale-Response")).isEmpty();
  }

  @Test
  void derpWithoutUpgradeIs426() throws Exception {
    HttpResponse<String> r = get("/derp");
    assertThat(r.statusCode()).isEqualTo(426);
    assertThat(r.body()).contains("DERP requires connection upgrade");
  }

  @Test
  void otherPathsGoToTheNextHandler() throws Exception {
    assertThat(get("/somewhere").statusCode()).isEqualTo(404);
  }
}
