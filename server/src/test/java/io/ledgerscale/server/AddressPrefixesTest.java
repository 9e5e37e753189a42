// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.server.support.Commands;
import io.ledgerscale.server.support.RunningServer;
import io.ledgerscale.server.support.TestConfigs;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * prefixes.* from the config file decide where the real server hands out node addresses, across
 * restarts.
 */
class AddressPrefixesTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void shouldGiveNodesAddressesFromTheConfiguredPrefixes() throws Exception {
    Path config =
        TestConfigs.write(
            "prefixes",
            """
        prefixes:
          v4: 100.96.0.0/24
          v6: fd7a:115c:a1e0:ab::/64
          allocation: sequential
        """);
    Path dir = config.getParent();
    NodeRegistration first;
    String key;
    try (RunningServer server = RunningServer.start(config)) {
      long user = Commands.createUser(server.commands(), "pat");
      IssuedPreAuthKey issued =
          Commands.send(
              server.commands(),
              new CreatePreAuthKeyCommand(user, true, false, null, List.of()),
              "key");
      key = issued.key();

      first = register(server, key, "first");
      NodeRegistration second = register(server, key, "second");

      assertThat(first.ipv4()).isEqualTo("100.96.0.1");
      assertThat(first.ipv6()).isEqualTo("fd7a:115c:a1e0:ab::1");
      assertThat(second.ipv4()).isEqualTo("100.96.0.2");
      assertThat(second.ipv6()).isEqualTo("fd7a:115c:a1e0:ab::2");
    }

    // the same prefixes again record nothing; new ones are recorded once, and old nodes keep their
    // addresses
    TestConfigs.rewrite(
        dir,
        """
        prefixes:
          v4: 100.96.0.0/24
          v6: fd7a:115c:a1e0:ab::/64
          allocation: sequential
        """);
    try (RunningServer server = RunningServer.start(config)) {
      assertThat(prefixChanges(server)).isEqualTo(1);
    }
    TestConfigs.rewrite(
        dir,
        """
        prefixes:
          v4: 100.97.16.0/26
          v6: fd7a:115c:a1e0::/48
          allocation: random
        """);
    try (RunningServer server = RunningServer.start(config)) {
      assertThat(prefixChanges(server)).isEqualTo(2);
      for (int i = 0; i < 20; i++) {
        NodeRegistration node = register(server, key, "random-" + i);
        int lastOctet = Integer.parseInt(node.ipv4().substring("100.97.16.".length()));
        assertThat(node.ipv4()).startsWith("100.97.16.");
        assertThat(lastOctet).isBetween(1, 62);
        assertThat(HexFormat.of().formatHex(InetAddress.getByName(node.ipv6()).getAddress()))
            .startsWith("fd7a115ca1e00000");
      }
      assertThat(
              server
                  .jdbc()
                  .queryForObject(
                      "SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%.NodeReservedEvent'"
                          + " AND convert_from(payload, 'UTF8') LIKE ?",
                      Long.class, "%\"ipv4\":\"" + first.ipv4() + "\"%"))
          .as("node 1 kept 100.96.0.1, and nobody else got it")
          .isEqualTo(1);
    }
  }

  private static long prefixChanges(RunningServer server) {
    return server
        .jdbc()
        .queryForObject(
            "SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%.AddressPrefixesConfiguredEvent'",
            Long.class);
  }

  private static NodeRegistration register(RunningServer server, String key, String hostname) {
    return Commands.send(
        server.commands(),
        new RegisterNodeWithPreAuthKeyCommand(
            hex("mkey:"), hex("nodekey:"), hostname, List.of(), key, null),
        "register-" + hostname);
  }

  private static String hex(String type) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return type + HexFormat.of().formatHex(raw);
  }
}
