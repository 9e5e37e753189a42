// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code ledgerscale policy set|check|get|reach|diff|history} against the running server. */
class PolicyCliIT extends CliTest {
  private static final String TAGS = "\"tag:server\": [\"%s@\"], \"tag:db\": [], \"tag:web\": []";

  private long newNode(String owner) {
    ok("users", "create", owner);
    String userId =
        ok("users", "list", "-n", owner, "-o", "json").json().get(0).path("id").asText();
    return registerNode(createPreAuthKey(userId, null), unique("box")).nodeId();
  }

  private static Path file(String text) throws Exception {
    Path f = Files.createTempFile("policy", ".hujson");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void canSetCheckAndExplainThePolicyFromTheCommandLine() throws Exception {
    String alice = unique("yara");
    String bob = unique("zeno");
    long laptop = newNode(alice);
    long db = newNode(bob);
    Path v1 =
        file(
            """
        {
          // alice may ssh to bob's machines
          "tagOwners": {%s},
          "acls": [{"action": "accept", "src": ["%s@"], "dst": ["%s@:22"]}],
          "tests": [{"src": "%s@", "accept": ["%s@:22"], "deny": ["%s@:5432"]}],
        }
        """
                .formatted(TAGS.formatted(alice), alice, bob, alice, bob, bob));
    Path v2 =
        file(
            """
        {
          // alice may reach the databases only
          "tagOwners": {%s},
          "acls": [{"action": "accept", "src": ["%s@"], "dst": ["%s@:5432"]}],
        }
        """
                .formatted(TAGS.formatted(alice), alice, bob));
    Path failing =
        file(
            """
        {"tagOwners": {%s},
         "acls": [{"action": "accept", "src": ["%s@"], "dst": ["%s@:22"]}],
         "tests": [{"src": "%s@", "accept": ["%s@:5432"]}]}"""
                .formatted(TAGS.formatted(alice), alice, bob, alice, bob));

    assertThat(ok("policy", "check", "-f", v1.toString()).out()).isEqualTo("Policy is valid\n");
    CliRun refusedCheck = cli("policy", "check", "-f", failing.toString());
    assertThat(refusedCheck.status()).isEqualTo(1);
    assertThat(refusedCheck.err())
        .contains("test(s) failed", bob + "@:5432 expected ALLOWED, got DENIED");
    CliRun refusedSet = cli("policy", "set", "-f", failing.toString());
    assertThat(refusedSet.status()).isEqualTo(1);
    assertThat(refusedSet.err()).contains("test(s) failed");

    Instant start = Instant.now();
    ok("policy", "set", "-f", v1.toString());
    assertThat(ok("policy", "get").out()).isEqualTo(Files.readString(v1) + "\n");
    Instant betweenVersions = Instant.now();
    Thread.sleep(20);
    ok("policy", "set", "-f", v2.toString());

    // the history is a read model: it shows the second version a moment after the set returns
    awaitTrue(
        () -> ok("policy", "history", "--from", start.toString(), "-o", "json").json().size() == 2);
    JsonNode history = ok("policy", "history", "--from", start.toString(), "-o", "json").json();
    long first = history.get(0).path("version").asLong();
    long second = history.get(1).path("version").asLong();
    assertThat(history.get(1).path("origin").asText()).isEqualTo("CLI");
    assertThat(ok("policy", "history", "--from", start.toString()).out())
        .contains("Version", "Origin", "CLI", Long.toString(second));

    CliRun diff = ok("policy", "diff", Long.toString(first), Long.toString(second));
    assertThat(diff.out())
        .contains(
            "-  // alice may ssh to bob's machines", "+  // alice may reach the databases only")
        .contains(
            "+  \"acls\": [{\"action\": \"accept\", \"src\": [\""
                + alice
                + "@\"], \"dst\": [\""
                + bob
                + "@:5432\"]}],");

    CliRun before =
        ok("policy", "reach", "--node", Long.toString(laptop), "--at", betweenVersions.toString());
    CliRun now = ok("policy", "reach", "--node", Long.toString(laptop));
    assertThat(before.out())
        .contains("Policy: version " + first)
        .containsPattern("(?m)^" + db + " .* 22\\s*$");
    assertThat(now.out())
        .contains("Policy: version " + second)
        .containsPattern("(?m)^" + db + " .* 5432\\s*$");
    assertThat(
            cli("policy", "reach", "--node", Long.toString(laptop), "--at", "last tuesday").err())
        .contains("invalid --at");
  }
}
