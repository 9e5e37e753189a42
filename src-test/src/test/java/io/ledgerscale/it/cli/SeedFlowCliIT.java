// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The commands of Headscale's registration guide and of the deployment guide (seeds 000 and 001),
 * with {@code headscale} replaced by {@code ledgerscale}: create a user, create keys, register
 * nodes, list them, approve an interactive login, read the audit trail.
 */
class SeedFlowCliIT extends CliTest {

  @Test
  void canRunTheRegistrationGuideEndToEnd() throws Exception {
    String user = unique("john.doe");

    // ledgerscale users create john.doe --display-name "John Doe" --email "john.doe@example.com"
    CliRun created =
        ok(
            "users",
            "create",
            user,
            "--display-name",
            "John Doe",
            "--email",
            "john.doe@example.com");
    assertThat(created.out()).isEqualTo("User created\n");

    // ledgerscale user list  (the guide's alias) shows the id to use next
    CliRun listed = ok("user", "list");
    assertThat(listed.out()).startsWith("ID | Name");
    assertThat(listed.out().lines().findFirst().orElseThrow())
        .contains("Name", "Username", "Email", "Created");
    String row = listed.out().lines().filter(l -> l.contains(user)).findFirst().orElseThrow();
    assertThat(row).contains("John Doe").contains("john.doe@example.com");
    String userId = row.substring(0, row.indexOf('|')).trim();

    // ledgerscale preauthkeys create --user <USER_ID>
    CliRun byId = ok("preauthkeys", "create", "--user", userId);
    String personalKey = byId.out().trim();
    assertThat(personalKey).startsWith("lskey-auth-");

    // ledgerscale preauthkeys create --user=john.doe  (the deployment guide passes the name)
    CliRun byName = ok("preauthkeys", "create", "--user=" + user);
    assertThat(byName.out().trim()).startsWith("lskey-auth-").isNotEqualTo(personalKey);

    // tagged devices: the tag must be declared in the policy's tagOwners first
    Path policy = Files.createTempFile("policy", ".hujson");
    Files.writeString(
        policy,
        "{\n  // tags anyone with an admin key may hand out\n  \"tagOwners\": {\"tag:server\": []},\n}\n");
    assertThat(ok("policy", "set", "-f", policy.toString()).out()).isEqualTo("Policy updated.\n");
    CliRun tagKey = ok("preauthkeys", "create", "--tags", "tag:server");
    String taggedKey = tagKey.out().trim();

    // tailscale up --authkey ... (what the gateway does on the client's behalf)
    String laptop = unique("laptop");
    String server = unique("web");
    registerNode(personalKey, laptop);
    registerNode(taggedKey, server);

    // ledgerscale nodes list: the User column shows the owner, tagged nodes show tagged-devices and
    // their Tags
    CliRun nodes = ok("nodes", "list");
    String header = nodes.out().lines().findFirst().orElseThrow();
    assertThat(header).contains("Hostname", "User", "Tags", "IP addresses", "Connected");
    String laptopRow =
        nodes.out().lines().filter(l -> l.contains(laptop)).findFirst().orElseThrow();
    assertThat(laptopRow).contains(" " + user + " ");
    String serverRow =
        nodes.out().lines().filter(l -> l.contains(server)).findFirst().orElseThrow();
    assertThat(serverRow).contains("tagged-devices").contains("tag:server");

    // ledgerscale nodes list -o json: Headscale's CLI JSON (snake_case, numeric ids)
    JsonNode json = ok("nodes", "list", "-u", user, "-o", "json").json();
    assertThat(json.isArray()).isTrue();
    assertThat(json).hasSize(1);
    assertThat(json.get(0).path("given_name").asText()).isEqualTo(laptop);
    assertThat(json.get(0).path("user").path("name").asText()).isEqualTo(user);
    assertThat(json.get(0).path("id").isNumber()).isTrue();
    assertThat(json.get(0).path("register_method").asInt()).isEqualTo(1);

    // web authentication: ledgerscale nodes register --user <USER> --key <REGISTRATION_KEY>
    String phone = unique("phone");
    String authId = requestRegistration(phone);
    CliRun legacy = ok("nodes", "register", "--user", user, "--key", authId);
    assertThat(legacy.out()).startsWith("Node ").endsWith(" registered\n");
    assertThat(legacy.err()).contains("deprecated");

    // and the 0.29 spelling: ledgerscale auth register --user <USER> --auth-id <AUTH_ID>
    String desktop = unique("desktop");
    String secondAuthId = requestRegistration(desktop);
    assertThat(ok("auth", "list").out()).contains(secondAuthId);
    ok("auth", "register", "--user", user, "--auth-id", secondAuthId);
    assertThat(ok("nodes", "list", "--user", user).out()).contains(phone).contains(desktop);

    // the audit trail shows that all of this happened through the CLI, with an API key
    CliRun audit = ok("audit", "list", "--action", "UserCreatedEvent", "--size", "200");
    assertThat(audit.out().lines().findFirst().orElseThrow())
        .contains("Time", "Actor", "Origin", "Action");
    assertThat(audit.out()).contains("CLI").contains("UserCreatedEvent");
    JsonNode trail =
        ok("audit", "list", "--target-type", "user", "--target-id", userId, "-o", "json").json();
    assertThat(trail.findValuesAsText("origin")).contains("CLI");
    assertThat(trail.findValuesAsText("action")).contains("UserCreatedEvent");
  }

  @Test
  void canTakeAddressAndKeyFromHeadscalesEnvironmentVariables() {
    CliRun run =
        CliRun.of(
            Map.of(
                "HEADSCALE_CLI_ADDRESS",
                base(),
                "HEADSCALE_CLI_API_KEY",
                initialApiKey(),
                "HOME",
                "/nonexistent"),
            "",
            "users",
            "list",
            "-o",
            "json");

    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.json().isArray()).isTrue();
  }

  @Test
  void cannotWorkWithoutAKeyAndSaysSoClearly() {
    CliRun run =
        CliRun.of(
            Map.of(
                "LEDGERSCALE_CLI_ADDRESS",
                base(),
                "HOME",
                "/nonexistent",
                "LEDGERSCALE_DATA_DIR",
                "/nonexistent"),
            "",
            "users",
            "create",
            unique("nokey"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).startsWith("Error: no API key");
  }

  @Test
  void shouldReportARefusalAsAnErrorInTheRequestedFormat() {
    String user = unique("dupe");
    ok("users", "create", user);

    CliRun table = cli("users", "create", user);
    CliRun json = cli("users", "create", user, "-o", "json");

    assertThat(table.status()).isEqualTo(1);
    assertThat(table.err()).startsWith("Error: ").contains("409");
    assertThat(json.status()).isEqualTo(1);
    assertThat(json.err()).contains("\"error\": ");
  }
}
