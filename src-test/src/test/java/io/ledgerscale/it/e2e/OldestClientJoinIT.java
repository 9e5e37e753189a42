// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e;

import static io.ledgerscale.it.e2e.TailnetIT.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.it.e2e.support.Poll;
import io.ledgerscale.it.e2e.support.Tailnet;
import io.ledgerscale.it.e2e.support.TailscaleBuild;
import io.ledgerscale.it.e2e.support.TailscaleNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The oldest client line Headscale supports (v1.80, capability version 113): two nodes join with
 * pre-auth keys, one a user's and one tags-only, and each lists the other with the right name and
 * addresses.
 */
class OldestClientJoinIT {

  @Test
  void canJoinAndSeeEachOtherWithTheOldestSupportedClient() throws Exception {
    try (Tailnet net = Tailnet.start("tailnet-oldest", TailscaleBuild.OLDEST)) {
      var server = net.server();
      server.cli("users", "create", "alice");
      server.cli("policy", "set", "-f", TailnetPolicy.file().toString());
      String userKey = server.cli("preauthkeys", "create", "--user", "alice").strip();
      String tagKey = server.cli("preauthkeys", "create", "--tags", "tag:server").strip();
      TailscaleNode desk = net.node("desk");
      TailscaleNode db = net.node("db");

      desk.upWithKey(server.url(), userKey);
      db.upWithKey(server.url(), tagKey);

      assertThat(net.serverNode("db").path("user").path("name").asText())
          .isEqualTo("tagged-devices");
      for (TailscaleNode[] pair :
          List.of(new TailscaleNode[] {desk, db}, new TailscaleNode[] {db, desk})) {
        TailscaleNode node = pair[0];
        TailscaleNode other = pair[1];
        assertThat(node.status().path("BackendState").asText()).isEqualTo("Running");
        Poll.until(
            Duration.ofSeconds(30),
            200,
            () -> !node.peerByHostName(other.name()).isMissingNode(),
            () -> node.name() + " does not list " + other.name() + ": " + node.status());
        JsonNode expected = net.serverNode(other.name());
        JsonNode peer = node.peerByHostName(other.name());
        assertThat(texts(peer.path("TailscaleIPs")))
            .containsExactlyInAnyOrderElementsOf(texts(expected.path("ip_addresses")));
        assertThat(peer.path("DNSName").asText())
            .startsWith(expected.path("given_name").asText() + ".");
      }
    }
  }
}
