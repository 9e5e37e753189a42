// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e;

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
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The main scenario with the newest pinned client: three real tailscaled nodes join (reusable user
 * key, tags-only key, interactive login approved with the CLI), see each other, ping each other
 * over the loopback DERP relay, and receive every admin change made through the CLI; the server
 * restarts underneath them; the audit trail names who did each step. The steps build on each other,
 * so they run in order on one tailnet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TailnetIT {
  private static final Duration DELIVERY = Duration.ofSeconds(30);
  private Tailnet net;
  private TailscaleNode laptop;
  private TailscaleNode web;
  private TailscaleNode phone;
  private TailscaleNode printer;
  private TailscaleNode kiosk;

  @BeforeAll
  void startTailnet() throws Exception {
    net = Tailnet.start("tailnet-newest", TailscaleBuild.NEWEST);
  }

  @AfterAll
  void stopTailnet() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  @Order(1)
  void canJoinWithAReusableUserKeyAndATagsOnlyKey() throws Exception {
    var server = net.server();
    server.cli("users", "create", "alice");
    server.cli("policy", "set", "-f", TailnetPolicy.file().toString());
    String userKey = server.cli("preauthkeys", "create", "--user", "alice", "--reusable").strip();
    String tagKey = server.cli("preauthkeys", "create", "--tags", "tag:server").strip();

    laptop = net.node("laptop");
    printer = net.node("printer");
    kiosk = net.node("kiosk");
    web = net.node("web");
    laptop.upWithKey(server.url(), userKey);
    printer.upWithKey(server.url(), userKey);
    kiosk.upWithKey(server.url(), userKey);
    web.upWithKey(server.url(), tagKey);

    for (TailscaleNode node : List.of(laptop, printer, kiosk, web)) {
      assertThat(node.status().path("BackendState").asText()).as(node.name()).isEqualTo("Running");
    }
    assertThat(net.serverNode("laptop").path("user").path("name").asText()).isEqualTo("alice");
    assertThat(net.serverNode("printer").path("user").path("name").asText()).isEqualTo("alice");
    JsonNode tagged = net.serverNode("web");
    assertThat(tagged.path("user").path("name").asText()).isEqualTo("tagged-devices");
    assertThat(texts(tagged.path("tags"))).containsExactly("tag:server");
  }

  @Test
  @Order(2)
  void canJoinByInteractiveLoginApprovedWithTheCli() throws Exception {
    phone = net.node("phone");
    String authId = phone.startInteractiveUp(net.server().url());

    net.server().cli("auth", "register", "--user", "alice", "--auth-id", authId);

    int exit = phone.awaitInteractiveUp(Duration.ofSeconds(60));
    assertThat(exit)
        .as(
            "tailscale up after %s was approved (exit -1: still waiting); the client was handed %d"
                + " AuthURLs; tailscaled log in target/e2e/tailnet-newest/nodes/phone",
            authId, phone.log().lines().filter(l -> l.contains("AuthURL is ")).count())
        .isZero();
    assertThat(phone.status().path("BackendState").asText()).isEqualTo("Running");
    assertThat(net.serverNode("phone").path("user").path("name").asText()).isEqualTo("alice");
  }

  @Test
  @Order(3)
  void shouldListEveryOtherNodeWithItsNameAndAddresses() {
    List<TailscaleNode> all = List.of(laptop, printer, kiosk, web, phone);
    for (TailscaleNode node : all) {
      JsonNode self = node.status().path("Self");
      assertThat(texts(self.path("TailscaleIPs")))
          .as(node.name() + "'s own addresses")
          .containsExactlyInAnyOrderElementsOf(
              texts(net.serverNode(node.name()).path("ip_addresses")));
    }
    // pairs among the key-joined nodes first, so a failure names the first broken path
    List<TailscaleNode[]> pairs = new ArrayList<>();
    for (TailscaleNode node : all) {
      for (TailscaleNode other : all) {
        if (other != node) {
          pairs.add(new TailscaleNode[] {node, other});
        }
      }
    }
    pairs.sort(java.util.Comparator.comparing(p -> p[0] == phone || p[1] == phone));
    for (TailscaleNode[] pair : pairs) {
      TailscaleNode node = pair[0];
      TailscaleNode other = pair[1];
      JsonNode expected = net.serverNode(other.name());
      Poll.until(
          DELIVERY,
          200,
          () -> !node.peerByHostName(other.name()).isMissingNode(),
          () -> node.name() + " does not list " + other.name() + ": " + node.status());
      JsonNode peer = node.peerByHostName(other.name());
      assertThat(texts(peer.path("TailscaleIPs")))
          .as(node.name() + " sees " + other.name())
          .containsExactlyInAnyOrderElementsOf(texts(expected.path("ip_addresses")));
      assertThat(peer.path("DNSName").asText())
          .startsWith(expected.path("given_name").asText() + ".");
    }
  }

  @Test
  @Order(4)
  void canPingBetweenTwoNodes() {
    String webIp = texts(net.serverNode("web").path("ip_addresses")).get(0);
    TailscaleNode.Result ping = laptop.cli(60, "ping", "--c=20", "--timeout=3s", webIp);

    assertThat(ping.exitCode()).as(ping.output()).isZero();
    assertThat(ping.output()).contains("pong from web");
  }

  @Test
  @Order(5)
  void shouldShowATagChangeInThePeersStatus() {
    long id = net.serverNode("web").path("id").asLong();

    net.server().cli("nodes", "tag", "-i", Long.toString(id), "-t", "tag:server,tag:db");

    long ms =
        Poll.until(
            DELIVERY,
            50,
            () -> texts(laptop.peerByHostName("web").path("Tags")).contains("tag:db"),
            () -> "laptop sees web as " + laptop.peerByHostName("web"));
    Tailnet.report("tag-change", ms);
  }

  @Test
  @Order(6)
  void shouldShowARenameInThePeersStatus() {
    long id = net.serverNode("printer").path("id").asLong();

    net.server().cli("nodes", "rename", "-i", Long.toString(id), "printer-renamed");

    long ms =
        Poll.until(
            DELIVERY,
            50,
            () ->
                laptop
                        .peerByHostName("printer")
                        .path("DNSName")
                        .asText()
                        .startsWith("printer-renamed.")
                    && web.peerByHostName("printer")
                        .path("DNSName")
                        .asText()
                        .startsWith("printer-renamed."),
            () ->
                "peers see printer as "
                    + laptop.peerByHostName("printer")
                    + " / "
                    + web.peerByHostName("printer"));
    Tailnet.report("rename", ms);
  }

  @Test
  @Order(7)
  void shouldShowAnExpiryInThePeersStatus() {
    long id = net.serverNode("kiosk").path("id").asLong();
    Poll.until(
        DELIVERY,
        100,
        () -> isLiveAt(laptop, "kiosk") && isLiveAt(web, "kiosk"),
        () ->
            "before expiry, peers see kiosk as "
                + laptop.peerByHostName("kiosk")
                + " / "
                + web.peerByHostName("kiosk"));

    net.server().cli("nodes", "expire", "-i", Long.toString(id));

    // an expired peer is either flagged Expired or dropped from the map
    long ms =
        Poll.until(
            DELIVERY,
            50,
            () ->
                expiredOrGone(laptop.peerByHostName("kiosk"))
                    && expiredOrGone(web.peerByHostName("kiosk")),
            () ->
                "peers see kiosk as "
                    + laptop.peerByHostName("kiosk")
                    + " / "
                    + web.peerByHostName("kiosk"));
    Tailnet.report("expiry", ms);
    Poll.until(
        DELIVERY,
        200,
        () -> "NeedsLogin".equals(kiosk.status().path("BackendState").asText()),
        () -> "kiosk after expiry: " + kiosk.status().path("BackendState"));
  }

  @Test
  @Order(8)
  void shouldDropADeletedNodeFromThePeersStatus() {
    long id = net.serverNode("printer").path("id").asLong();
    Poll.until(
        DELIVERY,
        100,
        () -> isLiveAt(laptop, "printer") && isLiveAt(web, "printer"),
        () ->
            "before delete, peers see printer as "
                + laptop.peerByHostName("printer")
                + " / "
                + web.peerByHostName("printer"));

    net.server().cli("nodes", "delete", "-i", Long.toString(id));

    long ms =
        Poll.until(
            DELIVERY,
            50,
            () ->
                laptop.peerByHostName("printer").isMissingNode()
                    && web.peerByHostName("printer").isMissingNode(),
            () ->
                "peers still list printer: "
                    + laptop.peerByHostName("printer")
                    + " / "
                    + web.peerByHostName("printer"));
    Tailnet.report("delete", ms);
  }

  @Test
  @Order(9)
  void canReconnectAfterAServerRestartWithoutLoggingInAgain() throws Exception {
    int registrationsBefore = net.server().audit(Map.of("action", "NodeRegisteredEvent")).size();

    long started = System.nanoTime();
    net.server().restart();
    long restartMs = (System.nanoTime() - started) / 1_000_000;
    // a change made after the restart reaches the laptop only through a fresh map stream
    long webId = net.serverNode("web").path("id").asLong();
    net.server().cli("nodes", "rename", "-i", Long.toString(webId), "web-after-restart");
    long ms =
        Poll.until(
            Duration.ofSeconds(90),
            100,
            () ->
                laptop
                        .peerByHostName("web")
                        .path("DNSName")
                        .asText()
                        .startsWith("web-after-restart.")
                    && "Running".equals(laptop.status().path("BackendState").asText())
                    && "Running".equals(web.status().path("BackendState").asText()),
            () ->
                "after restart: laptop "
                    + laptop.status()
                    + "\nweb "
                    + web.status().path("BackendState"));
    Tailnet.report("server-restart " + restartMs + " ms, then reconnect+rename", ms);

    assertThat(net.server().audit(Map.of("action", "NodeRegisteredEvent")))
        .hasSize(registrationsBefore);
    assertThat(net.server().audit(Map.of("action", "NodeReauthenticatedEvent"))).isEmpty();
    TailscaleNode.Result ping =
        laptop.cli(
            60,
            "ping",
            "--c=20",
            "--timeout=3s",
            texts(net.serverNode("web").path("ip_addresses")).get(0));
    assertThat(ping.exitCode()).as(ping.output()).isZero();
  }

  @Test
  @Order(10)
  void shouldRecordEveryStepWithItsActorInTheAuditTrail() {
    var server = net.server();
    java.util.Set<String> actions = new java.util.TreeSet<>();
    server.audit(Map.of()).forEach(e -> actions.add(e.path("action").asText()));
    SoftAssertions soft = new SoftAssertions();

    // the admin's steps: by the API key the CLI used, named by its prefix, never the secret
    for (String action :
        List.of(
            "UserCreatedEvent",
            "PolicyChangedEvent",
            "PreAuthKeyCreatedEvent",
            "RegistrationApprovedEvent",
            "NodeTagsChangedEvent",
            "NodeRenamedEvent",
            "NodeExpiryChangedEvent",
            "NodeDeletedEvent")) {
      List<JsonNode> entries = list(server.audit(Map.of("action", action)));
      soft.assertThat(entries)
          .as(action + " in the trail (actions seen: " + actions + ")")
          .isNotEmpty();
      for (JsonNode e : entries) {
        soft.assertThat(e.path("actorType").asText())
            .as(action + " actor type")
            .isEqualTo("API_KEY");
        soft.assertThat(e.path("actorId").asText())
            .as(action + " actor id")
            .isNotBlank()
            .isNotEqualTo(server.apiKey());
        soft.assertThat(server.apiKey())
            .as(action + " actor id is the key's prefix")
            .contains(e.path("actorId").asText());
      }
    }
    soft.assertThat(list(server.audit(Map.of("action", "NodeRenamedEvent"))))
        .as("two renames")
        .hasSize(2);
    soft.assertThat(server.audit(Map.of()).toString())
        .as("no secret in the trail")
        .doesNotContain(server.apiKey());
    List<JsonNode> registrations = list(server.audit(Map.of("action", "NodeRegisteredEvent")));
    soft.assertThat(registrations).as("registrations").hasSize(5);

    // the nodes' own steps: each key-registered node registered itself, named by its machine key
    for (String host : List.of("laptop", "kiosk", "web")) {
      JsonNode node = net.serverNode(host);
      List<JsonNode> registered =
          registrations.stream()
              .filter(e -> node.path("id").asText().equals(e.path("targetId").asText()))
              .toList();
      soft.assertThat(registered).as(host + " registration").hasSize(1);
      registered.forEach(
          e -> {
            soft.assertThat(e.path("actorType").asText())
                .as(host + " registered by")
                .isEqualTo("NODE");
            soft.assertThat(e.path("actorId").asText())
                .as(host + " registered by its machine key")
                .isEqualTo(node.path("machine_key").asText());
          });
    }
    // the interactive login: the node asked, the admin approved (checked above)
    List<JsonNode> requested = list(server.audit(Map.of("action", "RegistrationRequestedEvent")));
    soft.assertThat(requested).as("interactive login requested").isNotEmpty();
    requested.forEach(
        e -> soft.assertThat(e.path("actorType").asText()).as("requested by").isEqualTo("NODE"));
    soft.assertAll();
  }

  @Test
  @Order(11)
  void shouldShowAHostnameTheClientSetInNodesListAndToItsPeers() {
    TailscaleNode.Result set = phone.cli(30, "set", "--hostname=phone-2");
    assertThat(set.exitCode()).as(set.output()).isZero();

    long ms =
        Poll.until(
            DELIVERY,
            100,
            () ->
                net.server().cliJson("nodes", "list").findValues("name").stream()
                        .anyMatch(n -> n.asText().equals("phone-2"))
                    && laptop
                        .peerByHostName("phone-2")
                        .path("DNSName")
                        .asText()
                        .startsWith("phone-2."),
            () ->
                "nodes list: "
                    + net.server().cli("nodes", "list")
                    + "; laptop sees "
                    + laptop.peerByHostName("phone-2"));
    Tailnet.report("hostname-change", ms);
    // the given name was the one made from the old hostname, so it followed
    assertThat(net.serverNode("phone-2").path("given_name").asText()).isEqualTo("phone-2");
    List<JsonNode> changed = list(net.server().audit(Map.of("action", "NodeHostnameChangedEvent")));
    assertThat(changed).hasSize(1);
    assertThat(changed.get(0).path("actorType").asText()).isEqualTo("NODE");
  }

  private static boolean isLiveAt(TailscaleNode observer, String host) {
    JsonNode peer = observer.peerByHostName(host);
    return !peer.isMissingNode() && !peer.path("Expired").asBoolean(false);
  }

  private static boolean expiredOrGone(JsonNode peer) {
    return peer.isMissingNode() || peer.path("Expired").asBoolean(false);
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
