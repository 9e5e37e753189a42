// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.domain.api.sshcheck.RequestSshCheckCommand;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The interactive registration of the seed guides with OpenID Connect, against a real OpenID
 * provider in this JVM (mock-oauth2-server): the registration link, the IdP's authorize endpoint,
 * the callback, the confirmation page, and what the audit trail then says. Configured as the
 * authentik guide writes it: PKCE S256, extra_params, allowed_domains, strip_email_domain.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = "ledgerscale.config=" + OidcRegistrationIT.CONFIG)
class OidcRegistrationIT {
  static final String DIR = "target/it-oidc";
  static final String CONFIG = DIR + "/config.yaml";
  static final String CLIENT_ID = "ledgerscale-client";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final MockOAuth2Server IDP = new MockOAuth2Server();
  private static final int PORT;

  static {
    IDP.start();
    PORT = freePort();
    Path dir = Path.of(DIR);
    try {
      Dirs.fresh(dir);
      Files.writeString(dir.resolve("client_secret"), "s3cret-from-a-file\n");
      Files.writeString(
          Path.of(CONFIG),
          """
          server_url: http://127.0.0.1:%1$d
          listen_addr: 127.0.0.1:%1$d
          metrics_listen_addr: ""
          database:
            embedded:
              port: 0
          data_dir: %2$s/data
          oidc:
            only_start_if_oidc_is_available: true
            issuer: "%3$s"
            client_id: "%4$s"
            client_secret_path: "${OIDC_IT_DIR}/client_secret"
            scope: ["openid", "profile", "email"]
            extra_params:
              domain_hint: acmecorp.net
            allowed_domains:
              - acmecorp.net
            pkce:
              enabled: true
              method: S256
            strip_email_domain: true
          """
              .formatted(PORT, dir.toAbsolutePath(), IDP.issuerUrl("default"), CLIENT_ID)
              // the loader expands ${VAR} in *_path values from the environment, which a test
              // cannot set
              .replace("${OIDC_IT_DIR}", dir.toAbsolutePath().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Autowired private CommandGateway commands;

  @AfterAll
  static void stopIdp() {
    IDP.shutdown();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static URI server(String path) {
    return URI.create("http://127.0.0.1:" + PORT + path);
  }

  /** The admin REST API with the key the server wrote on its first start. */
  private static AdminApi admin() {
    try {
      return new AdminApi(
          server(""), Files.readString(Path.of(DIR, "data", "initial-api-key")).trim());
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
    await(() -> admin().get("/api/v1/registrations").toString().contains(authId));
    return authId;
  }

  /** The IdP will issue tokens for this person at the next token request. */
  private static void idpLogsIn(String subject, Map<String, Object> claims) {
    IDP.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            "default", subject, "JWT", List.of(CLIENT_ID), claims, 3600));
  }

  private static Map<String, Object> person(String username, String email, String name) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("preferred_username", username);
    claims.put("email", email);
    claims.put("email_verified", true);
    claims.put("name", name);
    claims.put("picture", "https://pics.example/" + username);
    return claims;
  }

  /** From the registration link to the page the callback leads to, checking each hop. */
  private Browser.Page loginThroughIdp(Browser browser, String authId) {
    return loginThroughIdpFrom(browser, server("/register/" + authId));
  }

  /**
   * The same from any page that sends the browser to the IdP (a registration or SSH check link).
   */
  private Browser.Page loginThroughIdpFrom(Browser browser, URI link) {
    Browser.Page register = browser.get(link);
    assertThat(register.status()).as(register.toString()).isEqualTo(302);
    Browser.Page toIdp = browser.get(register.next());
    assertThat(toIdp.status()).as(toIdp.toString()).isEqualTo(302);
    URI authorize = toIdp.next();
    assertThat(authorize.toString()).startsWith(IDP.authorizationEndpointUrl("default").toString());
    Map<String, String> params = query(authorize);
    assertThat(params)
        .containsEntry("client_id", CLIENT_ID)
        .containsEntry("redirect_uri", "http://127.0.0.1:" + PORT + "/oidc/callback")
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("domain_hint", "acmecorp.net")
        .containsEntry("response_type", "code")
        .containsKeys("code_challenge", "state", "nonce");
    assertThat(params.get("scope").split(" "))
        .containsExactlyInAnyOrder("openid", "profile", "email");
    Browser.Page fromIdp = browser.get(authorize);
    assertThat(fromIdp.status()).as(fromIdp.toString()).isEqualTo(302);
    URI callback = fromIdp.next();
    assertThat(callback.getPath()).isEqualTo("/oidc/callback");
    assertThat(query(callback)).containsKey("code");
    return browser.get(callback);
  }

  @Test
  void canRegisterAnInteractiveClientThroughTheIdpAsTheUserWhoLoggedIn() {
    String authId = requestRegistration("jane-laptop");
    idpLogsIn("sub-jane", person("jane@acmecorp.net", "jane@acmecorp.net", "Jane Doe"));
    Browser browser = new Browser();

    Browser.Page afterCallback = loginThroughIdp(browser, authId);
    assertThat(afterCallback.status()).as(afterCallback.toString()).isEqualTo(302);
    Browser.Page confirm = browser.get(afterCallback.next());
    assertThat(confirm.status()).as(confirm.toString()).isEqualTo(200);
    assertThat(confirm.body())
        .contains("jane-laptop")
        .contains("<strong>jane</strong>")
        .contains("jane@acmecorp.net");
    // nothing is approved before the person confirms
    assertThat(registration(authId).path("status").asText()).isEqualTo("PENDING");

    Browser.Page done = browser.postForm(server("/oidc/confirm"), "token", token(confirm.body()));

    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    assertThat(done.body()).contains("Device registered").contains("jane-laptop");
    JsonNode user = userByProviderId(IDP.issuerUrl("default") + "/sub-jane");
    assertThat(user.path("name").asText()).isEqualTo("jane");
    assertThat(user.path("displayName").asText()).isEqualTo("Jane Doe");
    assertThat(user.path("email").asText()).isEqualTo("jane@acmecorp.net");
    assertThat(user.path("profilePicUrl").asText())
        .isEqualTo("https://pics.example/jane@acmecorp.net");
    assertThat(user.path("provider").asText()).isEqualTo("oidc");
    String userId = user.path("id").asText();

    JsonNode approved = awaitEntry("target_id=" + authId + "&action=RegistrationApprovedEvent");
    assertThat(approved.path("actorType").asText()).isEqualTo("USER");
    assertThat(approved.path("actorId").asText()).isEqualTo(userId);
    assertThat(approved.path("actorName").asText()).isEqualTo("jane");
    assertThat(approved.path("origin").asText()).isEqualTo("OIDC");
    assertThat(approved.path("sourceIp").asText()).isEqualTo("127.0.0.1");
    // the pending list only holds requests still waiting
    await(() -> !admin().get("/api/v1/registrations").toString().contains(authId));
    JsonNode node = admin().get("/api/v1/node?user=jane").path("nodes").get(0);
    assertThat(node.path("registerMethod").asText()).isEqualTo("REGISTER_METHOD_OIDC");
    assertThat(node.path("user").path("name").asText()).isEqualTo("jane");

    // the confirmation is used up, and the login was not kept
    Browser.Page again = browser.postForm(server("/oidc/confirm"), "token", token(confirm.body()));
    assertThat(again.status()).isEqualTo(400);
  }

  @Test
  void shouldUpdateTheProfileOfAKnownSubjectInsteadOfCreatingAnotherUser() {
    String first = requestRegistration("max-desktop");
    idpLogsIn("sub-max", person("max@acmecorp.net", "max@acmecorp.net", "Max"));
    Browser browser = new Browser();
    confirmLogin(browser, loginThroughIdp(browser, first));
    String userId = userByProviderId(IDP.issuerUrl("default") + "/sub-max").path("id").asText();

    String second = requestRegistration("max-phone");
    idpLogsIn("sub-max", person("max@acmecorp.net", "max@acmecorp.net", "Max Mustermann"));
    confirmLogin(browser, loginThroughIdp(browser, second));

    JsonNode user = userByProviderId(IDP.issuerUrl("default") + "/sub-max");
    assertThat(user.path("id").asText()).isEqualTo(userId);
    await(
        () ->
            "Max Mustermann"
                .equals(
                    userByProviderId(IDP.issuerUrl("default") + "/sub-max")
                        .path("displayName")
                        .asText()));
    JsonNode updated = awaitEntry("target_id=" + userId + "&action=UserProfileUpdatedEvent");
    assertThat(updated.path("origin").asText()).isEqualTo("OIDC");
    assertThat(updated.path("actorId").asText()).isEqualTo(userId);
    await(() -> admin().get("/api/v1/node?user=max").path("nodes").size() == 2);
  }

  @Test
  void cannotRegisterFromADomainOutsideAllowedDomainsAndTheRefusalIsRecorded() {
    String authId = requestRegistration("mallory-box");
    idpLogsIn("sub-mallory", person("mallory", "mallory@evil.example", "Mallory"));
    Browser browser = new Browser();

    Browser.Page refused = loginThroughIdp(browser, authId);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.body())
        .contains("Login not permitted")
        .contains("e-mail domain evil.example is not in allowed_domains");
    JsonNode entry = awaitEntry("target_id=" + authId + "&action=CommandRefusedEvent");
    assertThat(entry.path("actorType").asText()).isEqualTo("USER");
    assertThat(entry.path("origin").asText()).isEqualTo("OIDC");
    assertThat(entry.toString()).contains("NOT_PERMITTED").contains("mallory@evil.example");
    assertThat(registration(authId).path("status").asText()).isEqualTo("PENDING");
    assertThat(admin().get("/api/v1/user?name=mallory").path("users")).isEmpty();
    // nothing to confirm after a refusal
    assertThat(browser.get(server("/oidc/confirm")).status()).isEqualTo(400);
  }

  @Test
  void cannotConfirmWithoutTheTokenOfTheConfirmationPage() {
    String authId = requestRegistration("csrf-target");
    idpLogsIn("sub-carol", person("carol@acmecorp.net", "carol@acmecorp.net", "Carol"));
    Browser browser = new Browser();
    browser.get(loginThroughIdp(browser, authId).next());

    Browser.Page forged = browser.postForm(server("/oidc/confirm"), "token", "guessed");

    assertThat(forged.status()).isEqualTo(400);
    assertThat(registration(authId).path("status").asText()).isEqualTo("PENDING");
  }

  @Test
  void shouldAnswerUnknownAndMalformedRegistrationLinksWithoutRedirecting() {
    Browser browser = new Browser();
    Browser.Page unknown = browser.get(server("/register/lskey-authreq-AAAAAAAAAAAAAAAAAAAAAAAA"));
    Browser.Page malformed = browser.get(server("/register/%3Cscript%3E"));

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(malformed.status()).isEqualTo(404);
    assertThat(malformed.body()).doesNotContain("<script>");
  }

  @Test
  void canPassAnSshCheckOnlyByLoggingInAsTheSourceDevicesOwner() {
    idpLogsIn("sub-sam", person("sam@acmecorp.net", "sam@acmecorp.net", "Sam"));
    Browser browser = new Browser();
    confirmLogin(browser, loginThroughIdp(browser, requestRegistration("sam-laptop")));
    idpLogsIn("sub-sam", person("sam@acmecorp.net", "sam@acmecorp.net", "Sam"));
    confirmLogin(browser, loginThroughIdp(browser, requestRegistration("sam-server")));
    await(() -> admin().get("/api/v1/node?user=sam").path("nodes").size() == 2);
    JsonNode nodes = admin().get("/api/v1/node?user=sam").path("nodes");
    long src = nodes.get(0).path("id").asLong();
    long dst = nodes.get(1).path("id").asLong();
    String checkId =
        commands.sendAndWait(
            new RequestSshCheckCommand(src, dst, "sam", "sam"),
            AuditMetadata.of(
                new Actor(ActorType.NODE, "sam-server", "sam-server"),
                Origin.NODE,
                "127.0.0.1",
                null));
    await(() -> browser.get(server("/auth/" + checkId)).status() == 302);

    // someone who is not a user of the network logs in: the check keeps waiting
    idpLogsIn("sub-stranger", person("stranger@acmecorp.net", "stranger@acmecorp.net", "Stranger"));
    Browser other = new Browser();
    // the confirmation page names the account the check would pass as; a stranger has none
    Browser.Page otherConfirm =
        other.get(loginThroughIdpFrom(other, server("/auth/" + checkId)).next());
    assertThat(otherConfirm.status()).as(otherConfirm.toString()).isEqualTo(403);
    assertThat(otherConfirm.body()).contains("not a user of this network");
    Browser.Page refused = other.postForm(server("/oidc/confirm"), "token", "any");
    assertThat(refused.status()).as(refused.toString()).isBetween(400, 403);
    assertThat(admin().get("/api/v1/user?name=stranger").path("users")).isEmpty();

    idpLogsIn("sub-sam", person("sam@acmecorp.net", "sam@acmecorp.net", "Sam"));
    Browser.Page confirm =
        browser.get(loginThroughIdpFrom(browser, server("/auth/" + checkId)).next());
    assertThat(confirm.body())
        .contains("Confirm SSH login")
        .contains("as user <strong>sam</strong>");
    Browser.Page passed = browser.postForm(server("/oidc/confirm"), "token", token(confirm.body()));

    assertThat(passed.status()).as(passed.toString()).isEqualTo(200);
    assertThat(passed.body()).contains("SSH check passed");
    JsonNode approved = awaitEntry("action=SshCheckApprovedEvent");
    assertThat(approved.path("actorType").asText()).isEqualTo("USER");
    assertThat(approved.path("actorName").asText()).isEqualTo("sam");
    assertThat(approved.path("origin").asText()).isEqualTo("OIDC");
    await(() -> browser.get(server("/auth/" + checkId)).status() == 409);
  }

  @Test
  void shouldGiveANewSubjectWhoseNameIsTakenADistinctNameAndSayWhichOnTheConfirmationPage() {
    // an admin made user dora; a different IdP account asks for the same name
    admin().post("/api/v1/user", "{\"name\":\"dora\"}");
    await(() -> admin().get("/api/v1/user?name=dora").path("users").size() == 1);
    String adminMade =
        admin().get("/api/v1/user?name=dora").path("users").get(0).path("id").asText();
    String authId = requestRegistration("dora-laptop");
    idpLogsIn("sub-dora-2", person("dora@acmecorp.net", "dora@acmecorp.net", "Dora Two"));
    Browser browser = new Browser();

    Browser.Page confirm = browser.get(loginThroughIdp(browser, authId).next());

    assertThat(confirm.status()).as(confirm.toString()).isEqualTo(200);
    Matcher named =
        Pattern.compile("new user <strong>(dora-[0-9a-f]{8})</strong>").matcher(confirm.body());
    assertThat(named.find()).as(confirm.body()).isTrue();
    String distinct = named.group(1);
    assertThat(confirm.body()).contains("<strong>dora</strong> belongs to another user");

    Browser.Page done = browser.postForm(server("/oidc/confirm"), "token", token(confirm.body()));

    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    assertThat(done.body()).contains("<strong>" + distinct + "</strong>");
    JsonNode user = userByProviderId(IDP.issuerUrl("default") + "/sub-dora-2");
    assertThat(user.path("name").asText()).isEqualTo(distinct);
    assertThat(user.path("id").asText()).isNotEqualTo(adminMade);
    await(() -> admin().get("/api/v1/node?user=" + distinct).path("nodes").size() == 1);
    assertThat(admin().get("/api/v1/node?user=dora").path("nodes")).isEmpty();
    // audited: the identity asked for dora and was created as the distinct name
    JsonNode created =
        awaitEntry("target_id=" + user.path("id").asText() + "&action=UserCreatedEvent");
    assertThat(created.path("actorName").asText()).isEqualTo("dora");
    assertThat(created.path("actorId").asText())
        .isEqualTo(IDP.issuerUrl("default") + "/sub-dora-2");
    assertThat(created.toString()).contains(distinct);

    // the same identity comes back to the same account
    String second = requestRegistration("dora-phone");
    idpLogsIn("sub-dora-2", person("dora@acmecorp.net", "dora@acmecorp.net", "Dora Two"));
    Browser.Page again = browser.get(loginThroughIdp(browser, second).next());
    assertThat(again.body()).contains("as user <strong>" + distinct + "</strong>");
  }

  @Test
  void shouldNameOnTheConfirmationPageTheAccountTheDeviceJoins() {
    idpLogsIn("sub-erin", person("erin@acmecorp.net", "erin@acmecorp.net", "Erin"));
    Browser browser = new Browser();
    confirmLogin(browser, loginThroughIdp(browser, requestRegistration("erin-laptop")));
    String userId = userByProviderId(IDP.issuerUrl("default") + "/sub-erin").path("id").asText();
    // an admin renames her; the IdP still calls her erin
    assertThat(
            admin()
                .post("/api/v1/user/" + userId + "/rename/erin-ops", null)
                .path("user")
                .path("name")
                .asText())
        .isEqualTo("erin-ops");
    await(() -> admin().get("/api/v1/user?name=erin-ops").path("users").size() == 1);
    String authId = requestRegistration("erin-phone");
    idpLogsIn("sub-erin", person("erin@acmecorp.net", "erin@acmecorp.net", "Erin"));

    Browser.Page confirm = browser.get(loginThroughIdp(browser, authId).next());

    assertThat(confirm.body())
        .contains("as user <strong>erin-ops</strong>")
        .doesNotContain("<strong>erin</strong>");
    Browser.Page done = browser.postForm(server("/oidc/confirm"), "token", token(confirm.body()));
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    assertThat(done.body()).contains("<strong>erin-ops</strong>");
    await(() -> admin().get("/api/v1/node?user=erin-ops").path("nodes").size() == 2);
  }

  @Test
  void shouldServeNoFrameworkLoginOrLogoutPage() {
    Browser browser = new Browser();
    for (String path : List.of("/login", "/logout", "/login?error", "/error")) {
      Browser.Page page = browser.get(server(path));
      assertThat(page.status()).as(path + " " + page).isEqualTo(404);
      assertThat(page.contentType()).as(path).startsWith("application/problem+json");
      assertThat(page.body()).as(path).doesNotContain("Please sign in", "Login with OAuth");
    }
    Browser.Page logout = browser.postForm(server("/logout"), "x", "y");
    assertThat(logout.status()).as(logout.toString()).isBetween(400, 499);
    assertThat(logout.contentType()).startsWith("application/problem+json");
  }

  private void confirmLogin(Browser browser, Browser.Page afterCallback) {
    Browser.Page confirm = browser.get(afterCallback.next());
    assertThat(confirm.status()).as(confirm.toString()).isEqualTo(200);
    Browser.Page done = browser.postForm(server("/oidc/confirm"), "token", token(confirm.body()));
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
  }

  private static String token(String confirmPage) {
    Matcher m = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(confirmPage);
    assertThat(m.find()).as(confirmPage).isTrue();
    return m.group(1);
  }

  private static JsonNode registration(String authId) {
    for (JsonNode r : admin().get("/api/v1/registrations").path("registrations")) {
      if (authId.equals(r.path("authId").asText())) {
        return r;
      }
    }
    throw new AssertionError("no registration " + authId);
  }

  private static JsonNode userByProviderId(String providerId) {
    JsonNode[] found = new JsonNode[1];
    await(
        () -> {
          for (JsonNode u : admin().get("/api/v1/user").path("users")) {
            if (providerId.equals(u.path("providerId").asText())) {
              found[0] = u;
              return true;
            }
          }
          return false;
        });
    return found[0];
  }

  private static JsonNode awaitEntry(String query) {
    JsonNode[] found = new JsonNode[1];
    await(
        () -> {
          JsonNode entries = admin().get("/api/v1/audit?" + query).path("entries");
          found[0] = entries.isEmpty() ? null : entries.get(0);
          return found[0] != null;
        });
    return found[0];
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      params.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static void await(Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("waited 10 s for the read side").isLessThan(deadline);
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
