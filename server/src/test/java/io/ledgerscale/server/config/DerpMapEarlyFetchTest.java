// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DERP map is fetched beside the context's start, with the same result and failures. */
class DerpMapEarlyFetchTest {
  @TempDir Path tmp;

  @Test
  void fetchesTheMapWhileTheStartGoesOnAndHandsOverTheSameMap() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/derpmap",
        exchange -> {
          try {
            // a begin() that waited for the map would keep the test from answering: no map
            if (!answer.await(5, TimeUnit.SECONDS)) {
              exchange.sendResponseHeaders(503, -1);
              exchange.close();
              return;
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body =
              ("{\"Regions\":{\"901\":{\"RegionID\":901,\"RegionCode\":\"far\",\"RegionName\":\"Far\","
                      + "\"Nodes\":[{\"Name\":\"901a\",\"RegionID\":901,\"HostName\":\"d.example.com\"}]}}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.start();
    try {
      LedgerscaleConfig c =
          load(
              "derp:\n  urls: [\"http://127.0.0.1:"
                  + http.getAddress().getPort()
                  + "/derpmap\"]\n");

      DerpMapEarlyFetch.Fetching fetching = DerpMapEarlyFetch.Fetching.begin(c);
      // begin() did not wait for the answer, which is only given now
      answer.countDown();

      assertThat(fetching.await().regions()).containsOnlyKeys("901");
      assertThat(fetching.await()).isEqualTo(EmbeddedDerpRegion.loaded(c));
    } finally {
      http.stop(0);
    }
  }

  @Test
  void aDerpFileThatCannotBeReadStillFailsTheStart() throws IOException {
    LedgerscaleConfig c =
        load("derp:\n  urls: []\n  paths: [\"" + tmp.resolve("missing.yaml") + "\"]\n");

    DerpMapEarlyFetch.Fetching fetching = DerpMapEarlyFetch.Fetching.begin(c);

    assertThatThrownBy(fetching::await).hasMessageContaining("derp.paths");
  }

  private LedgerscaleConfig load(String yaml) throws IOException {
    Path f = Files.writeString(tmp.resolve("config-" + System.nanoTime() + ".yaml"), yaml);
    return ConfigLoader.load(f.toString(), Map.of()).config();
  }
}
