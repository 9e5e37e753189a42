// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The registration link of the manual guide (seed 001): without OIDC the page shows the admin the
 * command.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + RegistrationPageWithoutOidcIT.CONFIG)
class RegistrationPageWithoutOidcIT {
  static final String DIR = "target/it-register-page";
  static final String CONFIG = DIR + "/config.yaml";
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    Path dir = Path.of(DIR);
    try {
      Dirs.fresh(dir);
      Files.writeString(
          Path.of(CONFIG),
          """
          server_url: http://127.0.0.1:8080
          listen_addr: 127.0.0.1:0
          metrics_listen_addr: ""
          database:
            embedded:
              port: 0
          data_dir: %s/data
          """
              .formatted(dir.toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort private int port;

  @Autowired private CommandGateway commands;

  private final Browser browser = new Browser();

  private URI server(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String apiKey() {
    try {
      return Files.readString(Path.of(DIR, "data", "initial-api-key")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String requestRegistration(String hostname) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String key = HexFormat.of().formatHex(raw);
    String authId =
        commands.sendAndWait(
            new RequestRegistrationCommand(
                "mkey:" + key, "nodekey:" + key, hostname, List.of(), null),
            AuditMetadata.of(
                new Actor(ActorType.NODE, hostname, hostname), Origin.NODE, "127.0.0.1", null));
    awaitStatus("/register/" + authId, 200);
    return authId;
  }

  @Test
  void shouldShowTheAdminTheCommandThatApprovesTheRequest() {
    String authId = requestRegistration("<b>evil</b>-host");

    Browser.Page page = browser.get(server("/register/" + authId));

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body())
        .contains("ledgerscale auth register --user USER --auth-id " + authId)
        .contains("&lt;b&gt;evil&lt;/b&gt;-host")
        .doesNotContain("<b>evil</b>")
        .doesNotContain(apiKey());
  }

  @Test
  void canApproveWithTheShownCommandAndThenTheLinkSaysSo() {
    String authId = requestRegistration("shown-then-approved");
    Browser.Page user =
        browser.postJson(server("/api/v1/user"), apiKey(), "{\"name\":\"page-user\"}");
    assertThat(user.status()).as(user.toString()).isEqualTo(200);

    // what `ledgerscale auth register --user page-user --auth-id <id>` sends
    Browser.Page approved =
        browser.postJson(
            server("/api/v1/auth/register"),
            apiKey(),
            "{\"user\":\"page-user\",\"authId\":\"" + authId + "\"}");
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    awaitStatus("/register/" + authId, 409);

    assertThat(browser.get(server("/register/" + authId)).body()).contains("approved");
  }

  @Test
  void cannotOpenAnUnknownOrMalformedLinkOrConfirmWithoutOidc() {
    assertThat(browser.get(server("/register/lskey-authreq-AAAAAAAAAAAAAAAAAAAAAAAA")).status())
        .isEqualTo(404);
    assertThat(browser.get(server("/register/not-an-auth-id")).status()).isEqualTo(404);
    assertThat(browser.get(server("/oauth2/authorization/oidc")).status()).isEqualTo(404);
    assertThat(browser.postForm(server("/oidc/confirm"), "token", "x").status()).isEqualTo(404);
  }

  private void awaitStatus(String path, int status) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (browser.get(server(path)).status() != status) {
      assertThat(System.nanoTime())
          .as("waited 10 s for " + path + " to answer " + status)
          .isLessThan(deadline);
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
