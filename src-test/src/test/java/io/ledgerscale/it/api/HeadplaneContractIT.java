// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Headplane 0.7 (tale/headplane, v0.7.0-beta.4) against this server: every call its Headscale
 * client makes, with the method, path and body it sends, and each answer checked for the fields it
 * reads, their JSON types and whether they may be missing or null. The calls are written out here
 * from reading Headplane's sources; where each one comes from is named next to it (paths in
 * tale/headplane). Headplane sends bodies only on PUT/POST with a body, as JSON; a POST without one
 * has no Content-Type (app/server/headscale/api/transport.ts), and it reads errors as JSON with a
 * {@code message} string (app/server/headscale/api/error-client.ts).
 *
 * <p>A server of its own (not {@link RunningServer}'s shared one): the first calls need a tailnet
 * where no policy has been set yet.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + HeadplaneContractIT.CONFIG)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HeadplaneContractIT {
  static final String DIR = "target/it-headplane";
  static final String CONFIG = DIR + "/config.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Headplane's version pattern (app/server/headscale/api/server-version.ts, SEMVER_RE). */
  private static final Pattern SEMVER =
      Pattern.compile("^v?(\\d+)\\.(\\d+)\\.(\\d+)(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?$");

  /** Machine.registerMethod's values (app/types/Machine.ts). */
  private static final Set<String> REGISTER_METHODS =
      Set.of(
          "REGISTER_METHOD_UNSPECIFIED",
          "REGISTER_METHOD_AUTH_KEY",
          "REGISTER_METHOD_CLI",
          "REGISTER_METHOD_OIDC");

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
          data_dir: %s/data
          database:
            type: embedded
            embedded:
              port: 0
          """
              .formatted(dir.toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort int port;

  @Autowired CommandGateway commands;

  // ---- app/server/headscale/api/index.ts, transport.ts: the unauthenticated probes ----

  @Test
  @Order(1)
  void versionIsASemverOfAtLeastHeadscale028() {
    // index.ts detectOnce: transport.getPublic<{ version: string }>("/version"); a 404 is
    // "requires Headscale 0.27.0 or newer", below 0.28.0 capabilities.ts switches to old shapes
    Http.Answer version = headplane().get("/version");

    assertThat(version.status()).as(version.toString()).isEqualTo(200);
    String raw = requiredString(version.json(), "version");
    Matcher m = SEMVER.matcher(raw.trim());
    assertThat(m.matches()).as("Headplane parses %s", raw).isTrue();
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    assertThat(major > 0 || minor >= 28).as("at least 0.28.0: %s", raw).isTrue();
    // the rest of Headscale's VersionInfo (hscontrol/types/version.go), which Headplane ignores
    requiredString(version.json(), "commit");
    requiredString(version.json(), "buildTime");
    requiredString(version.json().path("go"), "version");
    assertThat(version.json().path("dirty").isBoolean()).isTrue();
  }

  @Test
  @Order(2)
  void healthAnswers200OnTheListenAddress() {
    // transport.ts health(): GET /health, healthy when the status is 200
    Http.Answer health = headplane().get("/health");

    assertThat(health.status()).as(health.toString()).isEqualTo(200);
    // Headscale's body and type (hscontrol/handlers.go HealthHandler)
    assertThat(health.contentType()).startsWith("application/health+json");
    assertThat(health.json().path("status").asText()).isEqualTo("pass");
  }

  // ---- resources/policy.ts, routes/acls/acl-loader.ts, routes/acls/acl-action.ts ----

  @Test
  @Order(3)
  void policyThatWasNeverSetIsHeadscalesNotFound() {
    // acl-loader.ts: a 500 or "acl policy not found" means an empty, writable policy; anything
    // else (our old 404) is an error page
    Http.Answer got = admin().get("/api/v1/policy");

    assertThat(got.status()).as(got.toString()).isEqualTo(500);
    assertThat(got.text()).contains("acl policy not found");
  }

  @Test
  @Order(4)
  void policySyntaxErrorsCarryThePrefixHeadplaneShowsInline() {
    // acl-action.ts: data.message containing "parsing HuJSON:" or "parsing policy from bytes:"
    // becomes "Syntax error: ..." next to the editor
    Http.Answer syntax =
        admin().put("/api/v1/policy", policyBody("{ \"acls\": [ this is not json"));
    assertThat(syntax.status()).as(syntax.toString()).isBetween(400, 499);
    assertThat(requiredString(syntax.json(), "message")).contains("parsing HuJSON:");

    Http.Answer structure =
        admin().put("/api/v1/policy", policyBody("{\"acls\": {\"action\": \"accept\"}}"));
    assertThat(structure.status()).as(structure.toString()).isBetween(400, 499);
    assertThat(requiredString(structure.json(), "message")).contains("parsing policy from bytes:");
  }

  @Test
  @Order(5)
  void policyCanBeSetAndReadBack() {
    String policy =
        "{\n  // tags Headplane's pre-auth key and node dialogs use\n"
            + "  \"tagOwners\": {\"tag:server\": [], \"tag:web\": []},\n"
            + "  \"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"]}],\n}\n";
    // policy.ts set: PUT v1/policy { policy } -> { policy: string, updatedAt: string }
    Http.Answer set = admin().put("/api/v1/policy", policyBody(policy));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(requiredString(set.json(), "policy")).isEqualTo(policy);
    timestamp(set.json(), "updatedAt");

    // policy.ts get: GET v1/policy -> { policy, updatedAt }; acl-loader.ts: writable when
    // updatedAt !== null
    Http.Answer got = admin().get("/api/v1/policy");
    assertThat(got.status()).as(got.toString()).isEqualTo(200);
    assertThat(requiredString(got.json(), "policy")).isEqualTo(policy);
    timestamp(got.json(), "updatedAt");
  }

  // ---- resources/api-keys.ts: routes/auth/login/action.ts and layout/app.tsx check the key ----

  @Test
  @Order(6)
  void apiKeysList() {
    Http.Answer keys = admin().get("/api/v1/apikey");

    assertThat(keys.status()).as(keys.toString()).isEqualTo(200);
    JsonNode list = requiredArray(keys.json(), "apiKeys");
    assertThat(list).isNotEmpty();
    for (JsonNode key : list) {
      // app/types/Key.ts
      requiredString(key, "id");
      requiredString(key, "prefix");
      nullableString(key, "expiration");
      nullableString(key, "createdAt");
      nullableString(key, "lastSeen");
    }
    // login/action.ts: a wrong key must be a refusal, not a list
    assertThat(headplane().bearer("lskey-api-wrongwrongwr-nope").get("/api/v1/apikey").status())
        .isEqualTo(401);
  }

  // ---- resources/users.ts, resources/pre-auth-keys.ts, resources/nodes.ts ----

  @Test
  @Order(7)
  void usersPreAuthKeysAndNodesAsHeadplaneUsesThem() throws Exception {
    // users.ts create: POST v1/user { name, email, displayName } (pictureUrl undefined is dropped
    // by JSON.stringify; routes/users/user-actions.ts)
    String name = "hp-" + Integer.toHexString(RANDOM.nextInt(0x10000));
    Http.Answer created =
        admin()
            .post(
                "/api/v1/user",
                json(Map.of("name", name, "email", name + "@example.com", "displayName", "HP")));
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    JsonNode user = user(created.json().path("user"));
    String userId = user.path("id").asText();
    assertThat(user.path("name").asText()).isEqualTo(name);

    // users.ts list: GET v1/user, and with one of ?id= ?name= ?email= (auth-keys/actions.ts,
    // user-actions.ts, live-store.ts, oidc-callback.ts)
    assertThat(users(admin().get("/api/v1/user")))
        .anyMatch(u -> u.path("id").asText().equals(userId));
    assertThat(users(admin().get("/api/v1/user?id=" + userId)))
        .singleElement()
        .satisfies(u -> assertThat(u.path("name").asText()).isEqualTo(name));
    assertThat(users(admin().get("/api/v1/user?name=" + name))).hasSize(1);
    assertThat(users(admin().get("/api/v1/user?email=" + name + "%40example.com"))).hasSize(1);

    // pre-auth-keys.ts create: POST v1/preauthkey { ephemeral, reusable, expiration, user, aclTags?
    // }
    String expiration = Instant.now().plus(Duration.ofDays(1)).toString();
    Http.Answer owned =
        admin()
            .post(
                "/api/v1/preauthkey",
                "{\"ephemeral\":false,\"reusable\":true,\"expiration\":\""
                    + expiration
                    + "\",\"user\":\""
                    + userId
                    + "\"}");
    assertThat(owned.status()).as(owned.toString()).isEqualTo(200);
    JsonNode ownedKey = preAuthKey(owned.json().path("preAuthKey"));
    assertThat(ownedKey.path("user").path("id").asText()).isEqualTo(userId);

    // tag-only key (0.28+): no user, expiration null (ssh/page.tsx, hp-agent.ts)
    Http.Answer tagged =
        admin()
            .post(
                "/api/v1/preauthkey",
                "{\"ephemeral\":true,\"reusable\":false,\"expiration\":null,"
                    + "\"aclTags\":[\"tag:server\"]}");
    assertThat(tagged.status()).as(tagged.toString()).isEqualTo(200);
    JsonNode taggedKey = preAuthKey(tagged.json().path("preAuthKey"));
    assertThat(taggedKey.path("user").isNull() || taggedKey.path("user").isMissingNode())
        .as("a tag-only key has no user: %s", taggedKey)
        .isTrue();
    assertThat(taggedKey.path("aclTags"))
        .extracting(JsonNode::asText)
        .containsExactly("tag:server");

    // pre-auth-keys.ts listAll: GET v1/preauthkey; listForUser: GET v1/preauthkey?user=<id>
    // (routes/settings/auth-keys/overview.tsx)
    assertThat(preAuthKeys(admin().get("/api/v1/preauthkey")))
        .extracting(k -> k.path("id").asText())
        .contains(ownedKey.path("id").asText(), taggedKey.path("id").asText());
    assertThat(preAuthKeys(admin().get("/api/v1/preauthkey?user=" + userId)))
        .extracting(k -> k.path("id").asText())
        .containsExactly(ownedKey.path("id").asText());

    // a node joins with the key, as `tailscale up --authkey` does through the gateway
    NodeRegistration joined = registerNode(ownedKey.path("key").asText(), "hp-box");
    String nodeId = Long.toString(joined.nodeId());

    // nodes.ts list: GET v1/node -> { nodes }; get: GET v1/node/<id> -> { node }
    Http.Answer nodes = admin().get("/api/v1/node");
    assertThat(nodes.status()).as(nodes.toString()).isEqualTo(200);
    JsonNode listed = null;
    for (JsonNode n : requiredArray(nodes.json(), "nodes")) {
      machine(n);
      if (n.path("id").asText().equals(nodeId)) {
        listed = n;
      }
    }
    assertThat(listed).as("the new node is listed").isNotNull();
    assertThat(listed.path("user").path("id").asText()).isEqualTo(userId);
    assertThat(listed.path("registerMethod").asText()).isEqualTo("REGISTER_METHOD_AUTH_KEY");
    Http.Answer one = admin().get("/api/v1/node/" + nodeId);
    assertThat(one.status()).as(one.toString()).isEqualTo(200);
    machine(one.json().path("node"));

    // nodes.ts approveRoutes: POST v1/node/<id>/approve_routes { routes }
    Http.Answer routes =
        admin().post("/api/v1/node/" + nodeId + "/approve_routes", "{\"routes\":[]}");
    assertThat(routes.status()).as(routes.toString()).isEqualTo(200);

    // nodes.ts setTags: POST v1/node/<id>/tags { tags }
    Http.Answer tags = admin().post("/api/v1/node/" + nodeId + "/tags", "{\"tags\":[\"tag:web\"]}");
    assertThat(tags.status()).as(tags.toString()).isEqualTo(200);
    assertThat(machine(admin().get("/api/v1/node/" + nodeId).json().path("node")).path("tags"))
        .extracting(JsonNode::asText)
        .containsExactly("tag:web");

    // nodes.ts rename: POST v1/node/<id>/rename/<encodeURIComponent(name)>, no body
    Http.Answer renamed = admin().post("/api/v1/node/" + nodeId + "/rename/hp-renamed", null);
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(admin().get("/api/v1/node/" + nodeId).json().path("node").path("givenName").asText())
        .isEqualTo("hp-renamed");

    // nodes.ts expire: POST v1/node/<id>/expire, no body
    Http.Answer expired = admin().post("/api/v1/node/" + nodeId + "/expire", null);
    assertThat(expired.status()).as(expired.toString()).isEqualTo(200);
    JsonNode afterExpiry = machine(admin().get("/api/v1/node/" + nodeId).json().path("node"));
    assertThat(Instant.parse(afterExpiry.path("expiry").asText())).isBefore(Instant.now());

    // nodes.ts register: POST v1/node/register?user=<name>&key=<key> with the same as body
    // (routes/machines/dialogs/new.tsx passes the user's name)
    String authId = requestRegistration("hp-web");
    String query =
        "user="
            + URLEncoder.encode(name, StandardCharsets.UTF_8)
            + "&key="
            + URLEncoder.encode(authId, StandardCharsets.UTF_8);
    Http.Answer registered =
        admin().post("/api/v1/node/register?" + query, json(Map.of("user", name, "key", authId)));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
    String webNodeId = machine(registered.json().path("node")).path("id").asText();

    // pre-auth-keys.ts expire (0.28+): POST v1/preauthkey/expire { id }
    Http.Answer expiredKey =
        admin()
            .post("/api/v1/preauthkey/expire", "{\"id\":\"" + ownedKey.path("id").asText() + "\"}");
    assertThat(expiredKey.status()).as(expiredKey.toString()).isEqualTo(200);
    JsonNode keyAfter =
        preAuthKeys(admin().get("/api/v1/preauthkey?user=" + userId)).stream()
            .filter(k -> k.path("id").asText().equals(ownedKey.path("id").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(Instant.parse(keyAfter.path("expiration").asText()))
        .isBeforeOrEqualTo(Instant.now());

    // nodes.ts delete: DELETE v1/node/<id>
    for (String id : List.of(nodeId, webNodeId)) {
      Http.Answer deleted = admin().delete("/api/v1/node/" + id);
      assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    }

    // users.ts rename: POST v1/user/<id>/rename/<name>, no body; delete: DELETE v1/user/<id>
    Http.Answer userRenamed =
        admin().post("/api/v1/user/" + userId + "/rename/" + name + "-renamed", null);
    assertThat(userRenamed.status()).as(userRenamed.toString()).isEqualTo(200);
    assertThat(users(admin().get("/api/v1/user?id=" + userId)))
        .singleElement()
        .satisfies(u -> assertThat(u.path("name").asText()).isEqualTo(name + "-renamed"));
    Http.Answer userDeleted = admin().delete("/api/v1/user/" + userId);
    assertThat(userDeleted.status()).as(userDeleted.toString()).isEqualTo(200);
    assertThat(users(admin().get("/api/v1/user?id=" + userId))).isEmpty();
  }

  @Test
  @Order(8)
  void errorsAreJsonWithAMessage() {
    // error-client.ts / machine-actions.ts extractApiErrorMessage: data.message when present
    Http.Answer missing = admin().get("/api/v1/node/999999");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(requiredString(missing.json(), "message")).isNotBlank();
  }

  // ---- the shapes: app/types/*.ts ----

  /** app/types/User.ts: id, name, createdAt; the rest optional strings. */
  private static JsonNode user(JsonNode user) {
    assertThat(user.isObject()).as("user object: %s", user).isTrue();
    requiredString(user, "id");
    requiredString(user, "name");
    requiredString(user, "createdAt");
    for (String optional :
        List.of("displayName", "email", "providerId", "provider", "profilePicUrl")) {
      optionalString(user, optional);
    }
    return user;
  }

  /** app/types/PreAuthKey.ts. */
  private static JsonNode preAuthKey(JsonNode key) {
    assertThat(key.isObject()).as("preAuthKey object: %s", key).isTrue();
    requiredString(key, "id");
    requiredString(key, "key");
    if (key.hasNonNull("user")) {
      user(key.path("user"));
    }
    for (String flag : List.of("reusable", "ephemeral", "used")) {
      assertThat(key.path(flag).isBoolean()).as("%s is a boolean in %s", flag, key).isTrue();
    }
    nullableString(key, "expiration");
    requiredString(key, "createdAt");
    JsonNode tags = requiredArray(key, "aclTags");
    tags.forEach(t -> assertThat(t.isTextual()).isTrue());
    return key;
  }

  /** app/types/Machine.ts (0.28+ flat tags). */
  private static JsonNode machine(JsonNode node) {
    assertThat(node.isObject()).as("node object: %s", node).isTrue();
    for (String field : List.of("id", "machineKey", "nodeKey", "discoKey", "name", "givenName")) {
      requiredString(node, field);
    }
    for (String field :
        List.of("ipAddresses", "tags", "approvedRoutes", "availableRoutes", "subnetRoutes")) {
      requiredArray(node, field).forEach(v -> assertThat(v.isTextual()).as(field).isTrue());
    }
    if (node.hasNonNull("user")) {
      user(node.path("user"));
    }
    if (node.hasNonNull("preAuthKey")) {
      assertThat(node.path("preAuthKey").isObject()).isTrue();
    }
    nullableString(node, "lastSeen");
    nullableString(node, "expiry");
    requiredString(node, "createdAt");
    assertThat(REGISTER_METHODS).contains(requiredString(node, "registerMethod"));
    assertThat(node.path("online").isBoolean()).as("online in %s", node).isTrue();
    return node;
  }

  private static List<JsonNode> users(Http.Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return iterate(requiredArray(answer.json(), "users")).stream()
        .map(HeadplaneContractIT::user)
        .toList();
  }

  private static List<JsonNode> preAuthKeys(Http.Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return iterate(requiredArray(answer.json(), "preAuthKeys")).stream()
        .map(HeadplaneContractIT::preAuthKey)
        .toList();
  }

  private static List<JsonNode> iterate(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static String requiredString(JsonNode node, String field) {
    assertThat(node.path(field).isTextual()).as("%s is a string in %s", field, node).isTrue();
    return node.path(field).asText();
  }

  /** Absent or a string (TypeScript's {@code field?: string}). */
  private static void optionalString(JsonNode node, String field) {
    JsonNode v = node.path(field);
    assertThat(v.isMissingNode() || v.isNull() || v.isTextual())
        .as("%s is absent or a string in %s", field, node)
        .isTrue();
  }

  /** Present, a string or null (Headscale sends unset timestamps as null). */
  private static void nullableString(JsonNode node, String field) {
    assertThat(node.has(field)).as("%s is present in %s", field, node).isTrue();
    assertThat(node.path(field).isNull() || node.path(field).isTextual())
        .as("%s is a string or null in %s", field, node)
        .isTrue();
  }

  private static JsonNode requiredArray(JsonNode node, String field) {
    assertThat(node.path(field).isArray()).as("%s is an array in %s", field, node).isTrue();
    return node.path(field);
  }

  /** A string JavaScript's {@code new Date(...)} reads. */
  private static void timestamp(JsonNode node, String field) {
    Instant.parse(requiredString(node, field));
  }

  // ---- the client: what Headplane sends on every request (transport.ts rawRequest) ----

  private Http headplane() {
    return new Http("http://127.0.0.1:" + port)
        .header("Accept", "application/json")
        .header("User-Agent", "Headplane/0.7.0-beta.4");
  }

  private Http admin() {
    return headplane().bearer(initialApiKey());
  }

  private static String initialApiKey() {
    try {
      return Files.readString(Path.of(DIR, "data", "initial-api-key"), StandardCharsets.UTF_8)
          .trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String policyBody(String policy) {
    return json(Map.of("policy", policy));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private NodeRegistration registerNode(String preAuthKey, String hostname) {
    NodeRegistration node =
        commands.sendAndWait(
            new RegisterNodeWithPreAuthKeyCommand(
                RunningServer.key("mkey:"),
                RunningServer.key("nodekey:"),
                hostname,
                List.of(),
                preAuthKey,
                null),
            AuditMetadata.of(
                new Actor(ActorType.NODE, hostname, hostname), Origin.NODE, "127.0.0.1", null));
    RunningServer.awaitTrue(() -> admin().get("/api/v1/node/" + node.nodeId()).status() == 200);
    return node;
  }

  private String requestRegistration(String hostname) {
    String authId =
        commands.sendAndWait(
            new RequestRegistrationCommand(
                RunningServer.key("mkey:"),
                RunningServer.key("nodekey:"),
                hostname,
                List.of(),
                null),
            AuditMetadata.of(
                new Actor(ActorType.NODE, hostname, hostname), Origin.NODE, "127.0.0.1", null));
    RunningServer.awaitTrue(() -> admin().get("/api/v1/registrations").text().contains(authId));
    return authId;
  }
}
