// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The rest of the command tree: node administration, keys, policy, health, version. */
class AdminCliIT extends CliTest {

  private long newNode(String owner) {
    String userId =
        ok("users", "list", "-n", owner, "-o", "json").json().get(0).path("id").asText();
    return registerNode(createPreAuthKey(userId, null), unique("box")).nodeId();
  }

  @Test
  void canRenameTagRouteExpireTransferAndDeleteANode() throws Exception {
    String owner = unique("olivia");
    ok("users", "create", owner);
    String id = Long.toString(newNode(owner));

    String newName = unique("renamed");
    assertThat(ok("nodes", "rename", newName, "-i", id).out()).isEqualTo("Node renamed\n");

    Path policy = Files.createTempFile("policy", ".hujson");
    Files.writeString(policy, "{\"tagOwners\": {\"tag:db\": []}}");
    ok("policy", "set", "--file", policy.toString());
    JsonNode tagged = ok("nodes", "tag", "-i", id, "-t", "tag:db", "-o", "json").json();
    assertThat(tagged.path("tags").get(0).asText()).isEqualTo("tag:db");
    assertThat(tagged.path("user").path("name").asText()).isEqualTo("tagged-devices");

    assertThat(ok("nodes", "approve-routes", "-i", id, "-r", "10.1.0.0/16").out())
        .isEqualTo("Node updated\n");
    assertThat(ok("nodes", "list-routes", "-i", id).out()).contains("10.1.0.0/16");

    assertThat(ok("nodes", "expire", "-i", id, "-e", "2099-01-01T00:00:00Z").out())
        .isEqualTo("Node expiration updated\n");
    assertThat(ok("nodes", "expire", "-i", id, "-d").out()).isEqualTo("Node expiry disabled\n");
    assertThat(ok("nodes", "expire", "-i", id).out()).isEqualTo("Node expired\n");

    String heir = unique("peter");
    ok("users", "create", heir);
    CliRun moved =
        ok("nodes", "transfer", "-i", id, "--user", heir, "--reason", "olivia moved teams");
    assertThat(moved.out()).isEqualTo("Node transferred to " + heir + "\n");
    assertThat(ok("nodes", "list", "-u", heir).out()).contains(newName);

    assertThat(ok("nodes", "delete", "-i", id).out()).isEqualTo("Node not deleted\n");
    assertThat(ok("nodes", "delete", "-i", id, "--force").out()).isEqualTo("Node deleted\n");
    assertThat(cli("nodes", "list-routes", "-i", id).status()).isEqualTo(1);
  }

  @Test
  void canRenameAndDestroyUsers() {
    String name = unique("quinn");
    ok("users", "create", name);
    String renamed = unique("quincy");

    assertThat(ok("users", "rename", "-n", name, "-r", renamed).out()).isEqualTo("User renamed\n");
    assertThat(ok("users", "list", "--name", renamed).out()).contains(renamed);
    assertThat(ok("users", "destroy", "-n", renamed, "--force").out())
        .isEqualTo("User destroyed\n");
    assertThat(ok("users", "list", "--name", renamed, "-o", "json").json()).isEmpty();
    assertThat(cli("users", "destroy", "-n", renamed, "--force").err()).contains("user not found");
  }

  @Test
  void canManageApiKeys() {
    String key = ok("apikeys", "create", "-e", "1d").out().trim();
    assertThat(key).startsWith("lskey-api-");
    String prefix = key.substring("lskey-api-".length(), "lskey-api-".length() + 12);

    CliRun list = ok("apikeys", "list");
    assertThat(list.out().lines().findFirst().orElseThrow())
        .contains("ID", "Prefix", "Expiration", "Created");
    assertThat(list.out()).contains("lskey-api-" + prefix + "-***").doesNotContain(key);

    CliRun withNewKey =
        CliRun.of(
            java.util.Map.of("HOME", "/nonexistent"),
            "",
            "users",
            "list",
            "--address",
            base(),
            "--api-key",
            key);
    assertThat(withNewKey.status()).as(withNewKey.toString()).isZero();

    assertThat(ok("apikeys", "expire", "-p", prefix).out()).isEqualTo("Key expired\n");
    CliRun refused =
        CliRun.of(
            java.util.Map.of("HOME", "/nonexistent"),
            "",
            "users",
            "list",
            "--address",
            base(),
            "--api-key",
            key);
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("401");
    assertThat(ok("apikeys", "delete", "--prefix", prefix).out()).isEqualTo("Key deleted\n");
  }

  @Test
  void canManagePreAuthKeys() {
    String owner = unique("rita");
    ok("users", "create", owner);
    JsonNode key =
        ok(
                "preauthkeys",
                "create",
                "-u",
                owner,
                "--reusable",
                "--ephemeral",
                "-e",
                "2h",
                "-o",
                "json")
            .json();
    assertThat(key.path("reusable").asBoolean()).isTrue();
    assertThat(key.path("ephemeral").asBoolean()).isTrue();
    String id = key.path("id").asText();

    CliRun list = ok("preauthkeys", "list");
    assertThat(list.out().lines().findFirst().orElseThrow())
        .contains("Key/Prefix", "Reusable", "Owner");
    assertThat(list.out()).contains(owner).doesNotContain(key.path("key").asText());

    assertThat(ok("preauthkeys", "expire", "--id", id).out()).isEqualTo("Key expired\n");
    assertThat(ok("preauthkeys", "delete", "--id", id).out()).isEqualTo("Key deleted\n");
    assertThat(cli("preauthkeys", "create", "-e", "soon").err()).contains("invalid duration");
  }

  @Test
  void canGetAndCheckThePolicy() throws Exception {
    Path policy = Files.createTempFile("policy", ".hujson");
    Files.writeString(policy, "{\"tagOwners\": {\"tag:web\": []}}");
    ok("policy", "set", "-f", policy.toString());

    assertThat(ok("policy", "get").out()).contains("tag:web");
    CliRun check = cli("policy", "check", "-f", policy.toString());
    assertThat(check.status()).as(check.toString()).isZero();
    assertThat(check.out()).isEqualTo("Policy is valid\n");
    Files.writeString(policy, "{ broken");
    assertThat(cli("policy", "check", "-f", policy.toString()).status()).isEqualTo(1);
  }

  @Test
  void canCreateADebugNodeThroughTheAuditedApi() {
    String owner = unique("dora");
    ok("users", "create", owner);
    String name = unique("debugbox");

    CliRun created = ok("debug", "create-node", "--name", name, "--user", owner, "-o", "json");
    CliRun withRoutes =
        cli("debug", "create-node", "--name", unique("routed"), "-u", owner, "-r", "10.0.0.0/24");

    assertThat(created.json().path("name").asText()).isEqualTo(name);
    assertThat(created.json().path("user").path("name").asText()).isEqualTo(owner);
    assertThat(ok("nodes", "list", "-o", "json").out()).contains(name);
    assertThat(withRoutes.status()).isEqualTo(1);
    assertThat(withRoutes.err()).contains("routes");
    // interactive registrations are otherwise requested by clients (origin NODE): this one is the
    // CLI's, audited as such
    awaitTrue(
        () ->
            ok("audit", "list", "--action", "RegistrationRequestedEvent", "-o", "json-line")
                .out()
                .contains("\"origin\":\"CLI\""));
  }

  @Test
  void canReportHealthAndVersion() {
    assertThat(ok("health").out()).isEqualTo("Database connectivity: ok\n");
    assertThat(ok("health", "-o", "json").json().path("database_connectivity").asBoolean())
        .isTrue();
    assertThat(ok("version").out()).startsWith("ledgerscale ");
    assertThat(ok("version", "-o", "yaml").out()).startsWith("version: ");
  }

  @Test
  void canFollowTheAuditTrail() {
    String name = unique("followed");
    ok("users", "create", name);
    // the trail is a read model; follow polls once, so wait until the entry is there to be followed
    awaitTrue(
        () ->
            ok("audit", "list", "--action", "UserCreatedEvent", "-o", "json").out().contains(name));

    CliRun follow =
        ok("audit", "follow", "-n", "50", "--interval", "10ms", "--polls", "1", "-o", "json-line");

    assertThat(
            follow.out().lines().anyMatch(l -> l.contains("UserCreatedEvent") && l.contains(name)))
        .isTrue();
    assertThat(follow.out().lines().allMatch(l -> l.startsWith("{"))).isTrue();
  }
}
