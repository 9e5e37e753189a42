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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real node logs in again and so gets a new node key (tailscaled sends it with the old one as
 * OldNodeKey): first on {@code tailscale up --force-reauth} with a pre-auth key, then after an
 * admin expired its key. Each time the node keeps its id, name and addresses, its peer learns the
 * new key at once, and traffic flows again. Last, a re-login without a key: the new key waits for
 * an AuthURL the admin approves, then the same holds.
 *
 * <p>This suite relays through Tailscale's Go derper, named in a {@code derp.paths} file, so an
 * external relay keeps being proven with real clients; the others use the embedded relay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeKeyRotationIT {
  private static final Duration DELIVERY = Duration.ofSeconds(30);
  private static final Pattern AUTH_URL = Pattern.compile("AuthURL is \\S+/register/(\\S+)");
  private Tailnet net;
  private String userKey;
  private TailscaleNode alpha;
  private TailscaleNode beta;

  @BeforeAll
  void startTailnet() throws Exception {
    net = Tailnet.startWithGoDerper("tailnet-rotation", TailscaleBuild.NEWEST);
    net.server().cli("users", "create", "alice");
    userKey = net.server().cli("preauthkeys", "create", "--user", "alice", "--reusable").strip();
    alpha = net.node("alpha");
    beta = net.node("beta");
    alpha.upWithKey(net.server().url(), userKey);
    beta.upWithKey(net.server().url(), userKey);
    Poll.until(
        DELIVERY,
        200,
        () -> !beta.peerByHostName("alpha").isMissingNode(),
        () -> "beta does not list alpha: " + beta.status());
  }

  @AfterAll
  void stopTailnet() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  @Order(1)
  void canRotateTheNodeKeyOnForceReauthWithAPreAuthKey() {
    rotateAndCheck(
        "force-reauth",
        true,
        () -> {
          TailscaleNode.Result up =
              alpha.cli(
                  90,
                  "up",
                  "--login-server=" + net.server().url(),
                  "--authkey=" + userKey,
                  "--hostname=alpha",
                  "--force-reauth",
                  "--timeout=60s");
          assertThat(up.exitCode())
              .as("tailscale up --force-reauth: " + up.output() + "\n" + tail(alpha.log()))
              .isZero();
        });
    List<JsonNode> rotations = list(net.server().audit(Map.of("action", "NodeKeyRotatedEvent")));
    assertThat(rotations).hasSize(1);
    JsonNode node = net.serverNode("alpha");
    assertThat(rotations.get(0).path("actorType").asText()).isEqualTo("NODE");
    assertThat(rotations.get(0).path("actorId").asText())
        .isEqualTo(node.path("machine_key").asText());
    assertThat(rotations.get(0).path("targetId").asText()).isEqualTo(node.path("id").asText());
  }

  @Test
  @Order(2)
  void canRotateTheNodeKeyOfAnExpiredNodeWithAPreAuthKey() {
    long id = net.serverNode("alpha").path("id").asLong();
    net.server().cli("nodes", "expire", "-i", Long.toString(id));
    Poll.until(
        DELIVERY,
        200,
        () -> "NeedsLogin".equals(alpha.status().path("BackendState").asText()),
        () -> "alpha after expiry: " + alpha.status().path("BackendState"));

    // an expired node has dropped out of its peers' maps: it comes back under its new key
    Poll.until(
        DELIVERY,
        100,
        () ->
            beta.peerByHostName("alpha").isMissingNode()
                || beta.peerByHostName("alpha").path("Expired").asBoolean(false),
        () -> "beta still sees alpha live: " + beta.peerByHostName("alpha"));
    rotateAndCheck(
        "expired",
        false,
        () -> {
          TailscaleNode.Result up =
              alpha.cli(
                  90,
                  "up",
                  "--login-server=" + net.server().url(),
                  "--authkey=" + userKey,
                  "--hostname=alpha",
                  "--timeout=60s");
          assertThat(up.exitCode())
              .as("tailscale up after expiry: " + up.output() + "\n" + tail(alpha.log()))
              .isZero();
        });
    assertThat(list(net.server().audit(Map.of("action", "NodeKeyRotatedEvent")))).hasSize(2);
    assertThat(net.server().audit(Map.of("action", "NodeRegisteredEvent"))).hasSize(2);
  }

  @Test
  @Order(3)
  void canRotateTheNodeKeyByAnInteractiveLoginTheAdminApproves() {
    rotateAndCheck(
        "interactive",
        true,
        () -> {
          CompletableFuture<TailscaleNode.Result> up =
              CompletableFuture.supplyAsync(
                  () ->
                      alpha.cli(
                          120,
                          "up",
                          "--login-server=" + net.server().url(),
                          "--hostname=alpha",
                          "--force-reauth",
                          "--timeout=100s"));
          // without a key, the new node key waits for a login: tailscaled logs the AuthURL it was
          // given
          String[] authId = new String[1];
          Poll.until(
              Duration.ofSeconds(60),
              200,
              () -> {
                Matcher m = AUTH_URL.matcher(alpha.log());
                while (m.find()) {
                  authId[0] = m.group(1);
                }
                return authId[0] != null;
              },
              () -> "no AuthURL in alpha's log:\n" + tail(alpha.log()));
          assertThat(list(net.server().audit(Map.of("action", "NodeKeyRotatedEvent"))))
              .as("nothing moved yet")
              .hasSize(2);

          net.server().cli("auth", "register", "--user", "alice", "--auth-id", authId[0]);

          TailscaleNode.Result result = up.join();
          assertThat(result.exitCode())
              .as("tailscale up --force-reauth: " + result.output() + "\n" + tail(alpha.log()))
              .isZero();
        });
    List<JsonNode> relogins =
        list(net.server().audit(Map.of("action", "NodeReauthenticatedEvent")));
    assertThat(relogins).hasSize(1);
    assertThat(relogins.get(0).path("actorType").asText()).isEqualTo("API_KEY");
    assertThat(net.server().audit(Map.of("action", "NodeRegisteredEvent"))).hasSize(2);
  }

  /**
   * Runs {@code relogin} on alpha and checks that beta sees alpha's new key with the same id and
   * addresses.
   */
  private void rotateAndCheck(String what, boolean peerSeesOldKey, Runnable relogin) {
    JsonNode before = alpha.status().path("Self");
    JsonNode serverBefore = net.serverNode("alpha");
    String oldKey = before.path("PublicKey").asText();
    assertThat(serverBefore.path("node_key").asText()).isEqualToIgnoringCase(oldKey);
    if (peerSeesOldKey) {
      assertThat(beta.peerByHostName("alpha").path("PublicKey").asText()).isEqualTo(oldKey);
    }

    long started = System.nanoTime();
    relogin.run();

    JsonNode after = alpha.status().path("Self");
    String newKey = after.path("PublicKey").asText();
    assertThat(newKey)
        .as("alpha's node key after " + what)
        .isNotEqualTo(oldKey)
        .startsWith("nodekey:");
    assertThat(after.path("ID").asText()).isEqualTo(before.path("ID").asText());
    assertThat(texts(after.path("TailscaleIPs"))).isEqualTo(texts(before.path("TailscaleIPs")));
    JsonNode serverAfter = net.serverNode("alpha");
    assertThat(serverAfter.path("id").asLong()).isEqualTo(serverBefore.path("id").asLong());
    assertThat(serverAfter.path("given_name").asText())
        .isEqualTo(serverBefore.path("given_name").asText());
    assertThat(texts(serverAfter.path("ip_addresses")))
        .isEqualTo(texts(serverBefore.path("ip_addresses")));
    assertThat(serverAfter.path("node_key").asText()).isEqualToIgnoringCase(newKey);

    Poll.until(
        DELIVERY,
        50,
        () -> newKey.equals(beta.peerByHostName("alpha").path("PublicKey").asText()),
        () -> "beta sees alpha as " + beta.peerByHostName("alpha"));
    Tailnet.report(
        "key rotation (" + what + ") seen by the peer", (System.nanoTime() - started) / 1_000_000);
    JsonNode peer = beta.peerByHostName("alpha");
    assertThat(peer.path("ID").asText()).isEqualTo(before.path("ID").asText());
    assertThat(texts(peer.path("TailscaleIPs"))).isEqualTo(texts(before.path("TailscaleIPs")));

    String alphaIp = texts(before.path("TailscaleIPs")).get(0);
    TailscaleNode.Result ping = beta.cli(60, "ping", "--c=20", "--timeout=3s", alphaIp);
    assertThat(ping.exitCode()).as(ping.output()).isZero();
    assertThat(ping.output()).contains("pong from alpha");
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
