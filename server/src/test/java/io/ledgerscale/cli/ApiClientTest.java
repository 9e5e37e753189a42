// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI's requests against a real HTTP server on a loopback port. */
class ApiClientTest {
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] in = exchange.getRequestBody().readAllBytes();
          seen.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " auth="
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " origin="
                  + exchange.getRequestHeaders().getFirst("X-Ledgerscale-Origin")
                  + " length="
                  + exchange.getRequestHeaders().getFirst("Content-Length")
                  + " body="
                  + new String(in, StandardCharsets.UTF_8));
          String path = exchange.getRequestURI().getPath();
          int status = path.endsWith("/missing") ? 404 : path.endsWith("/moved") ? 302 : 200;
          byte[] body =
              (status == 404
                      ? "{\"detail\":\"user not found\"}"
                      : status == 302 ? "" : "{\"users\":[]}")
                  .getBytes(StandardCharsets.UTF_8);
          if (status == 302) {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
          }
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldSendTheKeyAndTheBodyAndReadTheAnswer() {
    ApiClient api = new ApiClient(base, "the-key", Duration.ofSeconds(5), false);

    assertThat(api.get("/api/v1/user?name=a").path("users").isArray()).isTrue();
    api.post("/api/v1/user", ApiClient.body("name", "alice"));
    api.post("/api/v1/admin/replay", null);
    api.delete("/api/v1/user/1");

    assertThat(seen)
        .containsExactly(
            "GET /api/v1/user?name=a auth=Bearer the-key origin=cli length=null body=",
            "POST /api/v1/user auth=Bearer the-key origin=cli length=16 body={\"name\":\"alice\"}",
            "POST /api/v1/admin/replay auth=Bearer the-key origin=cli length=0 body=",
            "DELETE /api/v1/user/1 auth=Bearer the-key origin=cli length=null body=");
  }

  @Test
  void shouldReportTheServersProblemAndNotFollowRedirects() {
    ApiClient api = new ApiClient(base, "the-key", Duration.ofSeconds(5), false);

    assertThatThrownBy(() -> api.get("/api/v1/missing"))
        .isInstanceOf(CliException.class)
        .hasMessage("user not found (404)");
    assertThatThrownBy(() -> api.get("/api/v1/moved"))
        .isInstanceOf(CliException.class)
        .hasMessage("the server answered 302");
    assertThat(seen).hasSize(2);
  }

  @Test
  void shouldSayWhenNothingListens() {
    ApiClient api = new ApiClient("http://127.0.0.1:1", "k", Duration.ofSeconds(2), false);

    assertThatThrownBy(() -> api.get("/api/v1/user"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("cannot reach the server at http://127.0.0.1:1");
  }

  @Test
  void shouldRefuseToSendWithoutAKey() {
    ApiClient api = new ApiClient(base, null, Duration.ofSeconds(2), false);

    assertThatThrownBy(() -> api.get("/api/v1/user")).hasMessageContaining("no API key");
    assertThat(seen).isEmpty();
  }
}
