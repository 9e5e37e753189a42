// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy check --offline}: the policy checked in the CLI's own process, with no server to
 * ask (the address given names a port nothing listens on, so any call out would fail).
 */
class PolicyCheckOfflineTest {
  private static final String NOWHERE = "http://127.0.0.1:1";

  @TempDir Path dir;

  @Test
  void acceptsAValidPolicyWithoutAServer() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("ok.hujson"),
            """
            // comments and trailing commas, as HuJSON allows
            {
              "groups": {"group:ops": ["alice@example.com"]},
              "tagOwners": {"tag:web": ["group:ops"]},
              "acls": [{"action": "accept", "src": ["group:ops"], "dst": ["tag:web:443"]},],
            }
            """);

    CliCall call =
        CliCall.of("--address", NOWHERE, "policy", "check", "--offline", "-f", file.toString());

    assertThat(call.status()).as(call.toString()).isZero();
    assertThat(call.out()).isEqualTo("Policy is valid (checked offline)\n");
  }

  @Test
  void refusesWithTheReasonAndWhereWithoutAServer() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("nested.hujson"),
            """
            {
              "groups": {"group:a": ["alice@example.com"], "group:b": ["group:a"]},
              "acls": [{"action": "accept", "src": ["group:b"], "dst": ["*:*"]}]
            }
            """);

    CliCall call =
        CliCall.of("--address", NOWHERE, "policy", "check", "--offline", "-f", file.toString());

    assertThat(call.status()).as(call.toString()).isEqualTo(1);
    assertThat(call.err())
        .contains("nested.hujson")
        .contains("group members cannot be recursive")
        .doesNotContain("cannot reach the server");
  }

  @Test
  void withoutOfflineItAsksTheServer() throws Exception {
    Path file = Files.writeString(dir.resolve("p.hujson"), "{\"acls\": []}");

    CliCall call =
        CliCall.of(
            "--address", NOWHERE, "--api-key", "x", "policy", "check", "-f", file.toString());

    assertThat(call.status()).isEqualTo(1);
    assertThat(call.err()).contains("cannot reach the server");
  }
}
