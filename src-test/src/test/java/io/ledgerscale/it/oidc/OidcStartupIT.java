// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.admin.oidc.OidcUnavailableException;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.server.LedgerscaleApplication;
import io.ledgerscale.server.config.ConfigEnvironmentPostProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * only_start_if_oidc_is_available: whether an unreachable issuer stops the server or only the
 * logins.
 */
class OidcStartupIT {
  private static final Path ROOT = Path.of("target/it-oidc-startup").toAbsolutePath();

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path config(String name, int port, String issuer, boolean onlyStartIfAvailable)
      throws IOException {
    Path dir = ROOT.resolve(name);
    Dirs.fresh(dir);
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        server_url: http://127.0.0.1:%1$d
        listen_addr: 127.0.0.1:%1$d
        metrics_listen_addr: ""
        database:
          embedded:
            port: 0
        data_dir: %2$s/data
        oidc:
          only_start_if_oidc_is_available: %4$s
          issuer: "%3$s"
          client_id: ledgerscale
          client_secret: s3cret
          pkce:
            enabled: true
            method: S256
        """
            .formatted(port, dir, issuer, onlyStartIfAvailable));
    return config;
  }

  private static ConfigurableApplicationContext start(Path config) {
    return new SpringApplicationBuilder(LedgerscaleApplication.class)
        .properties(ConfigEnvironmentPostProcessor.CONFIG_PROPERTY + "=" + config)
        .run();
  }

  @Test
  void cannotStartWhenTheIssuerIsUnreachableAndOidcIsRequired() throws IOException {
    String issuer = "http://127.0.0.1:" + freePort() + "/realms/nowhere";
    Path config = config("required", freePort(), issuer, true);

    assertThatThrownBy(() -> start(config).close())
        .satisfies(
            e -> {
              Throwable t = e;
              while (t != null && !(t instanceof OidcUnavailableException)) {
                t = t.getCause();
              }
              assertThat(t)
                  .as("an OidcUnavailableException in the cause chain of " + e)
                  .isNotNull();
              assertThat(t.getMessage())
                  .contains(issuer + "/.well-known/openid-configuration")
                  .contains("cannot connect")
                  .contains(
                      "only_start_if_oidc_is_available is true, so the server does not start");
            });
  }

  @Test
  void canStartWithoutTheIssuerAndLogInOnceItAnswers() throws IOException {
    MockOAuth2Server idp = new MockOAuth2Server();
    int idpPort = freePort();
    String issuer = "http://localhost:" + idpPort + "/default";
    int port = freePort();
    Path config = config("optional", port, issuer, false);

    try (ConfigurableApplicationContext server = start(config)) {
      String authId =
          server
              .getBean(CommandGateway.class)
              .sendAndWait(
                  new RequestRegistrationCommand(
                      "mkey:" + "ab".repeat(32),
                      "nodekey:" + "cd".repeat(32),
                      "box",
                      List.of(),
                      null),
                  AuditMetadata.of(
                      new Actor(ActorType.NODE, "box", "box"), Origin.NODE, "127.0.0.1", null));
      Browser browser = new Browser();
      URI link = URI.create("http://127.0.0.1:" + port + "/register/" + authId);
      Browser.Page page = browser.get(link);
      for (int i = 0; i < 200 && page.status() == 404; i++) {
        sleep(); // the read side follows the event store a moment later
        page = browser.get(link);
      }

      assertThat(page.status()).as(page.toString()).isEqualTo(503);
      // the public page names no internal host, URL or exception; the log has the reason
      assertThat(page.body())
          .contains("Login unavailable")
          .doesNotContain("localhost:" + idpPort)
          .doesNotContain("well-known")
          .doesNotContain("Exception")
          .doesNotContain("java.");

      idp.start(idpPort);
      try {
        Browser.Page now = browser.get(link);
        assertThat(now.status()).as(now.toString()).isEqualTo(302);
        Browser.Page toIdp = browser.get(now.next());
        assertThat(toIdp.next().toString()).startsWith(issuer + "/authorize");
      } finally {
        idp.shutdown();
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(25);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
