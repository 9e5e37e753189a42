// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.it.map.TsHelperProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The audit trail as an auditor reads it (issue 11): a client's retries of a refused login are one
 * entry with a count, and a node's own audit reports ({@code POST /machine/audit-log}, sent by
 * Tailscale's client code) are recorded with the node as actor.
 */
class AuditHistoryIT extends RunningServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired ServerMachineKey serverKey;

  @Test
  void shouldListAClientsRetriesOfARefusedLoginAsOneEntryWithACount() throws Exception {
    String hostname = unique("retrier");
    Map<String, Object> req = registerRequest(key("nodekey:"), hostname);
    req.put("Auth", Map.of("AuthKey", "lskey-auth-nosuchkey012-" + "A".repeat(43)));
    List<JsonNode> lines =
        noise(key("privkey:"), List.of(Map.entry("POST /machine/register", req)), 12);
    for (int i = 0; i < 12; i++) {
      JsonNode response = TsHelperProcess.response(lines, i);
      assertThat(response.path("body").asText()).as(response.toString()).contains("Error");
    }

    awaitTrue(
        () -> refusalsOf(hostname).stream().mapToInt(e -> e.path("count").asInt()).sum() == 12);
    List<JsonNode> entries = refusalsOf(hostname);
    assertThat(entries).hasSize(1);
    JsonNode entry = entries.get(0);
    assertThat(entry.path("foldedIndexes")).hasSize(12);
    assertThat(entry.path("summary").asText())
        .startsWith("refused to register node with pre auth key")
        .contains("(12 times, the last at ");
  }

  @Test
  void shouldRecordANodesDisconnectReportWithTheNodeAsActor() throws Exception {
    String user = createUser(unique("owner")).path("id").asText();
    String preAuthKey = createPreAuthKey(user, null);
    String hostname = unique("reporter");
    String nodeKey = key("nodekey:");
    Map<String, Object> register = registerRequest(nodeKey, hostname);
    register.put("Auth", Map.of("AuthKey", preAuthKey));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("Version", 113);
    report.put("NodeKey", nodeKey);
    report.put("Action", "DISCONNECT_NODE");
    report.put("Details", "maintenance window " + hostname);
    Map<String, Object> unknownAction = new LinkedHashMap<>(report);
    unknownAction.put("Action", "WIPE_EVERYTHING");
    Map<String, Object> strangersKey = new LinkedHashMap<>(report);
    strangersKey.put("NodeKey", key("nodekey:"));

    List<JsonNode> lines =
        noise(
            key("privkey:"),
            List.of(
                Map.entry("POST /machine/register", register),
                Map.entry("POST /machine/audit-log", report),
                Map.entry("POST /machine/audit-log", unknownAction),
                Map.entry("POST /machine/audit-log", strangersKey)),
            1);
    assertThat(TsHelperProcess.response(lines, 0).path("body").asText())
        .contains("MachineAuthorized\":true");
    assertThat(TsHelperProcess.response(lines, 1).path("status").asInt()).isEqualTo(200);
    assertThat(TsHelperProcess.response(lines, 2).path("status").asInt()).isEqualTo(400);
    assertThat(TsHelperProcess.response(lines, 3).path("status").asInt()).isEqualTo(403);

    awaitTrue(
        () ->
            !trail("action=ClientAuditRecordedEvent&size=1000").isEmpty()
                && trail("action=ClientAuditRecordedEvent&size=1000").stream()
                    .anyMatch(e -> e.path("summary").asText().contains(hostname)));
    JsonNode entry =
        trail("action=ClientAuditRecordedEvent&size=1000").stream()
            .filter(e -> e.path("summary").asText().contains(hostname))
            .findFirst()
            .orElseThrow();
    assertThat(entry.path("actorType").asText()).isEqualTo("NODE");
    assertThat(entry.path("actorId").asText()).isEqualTo(entry.path("targetId").asText());
    assertThat(entry.path("actorName").asText()).isEqualTo(hostname);
    assertThat(entry.path("origin").asText()).isEqualTo("NODE");
    assertThat(entry.path("sourceIp").asText()).isNotBlank();
    assertThat(entry.path("summary").asText())
        .isEqualTo(
            "node "
                + entry.path("targetId").asText()
                + " reported it was disconnected: maintenance window "
                + hostname);
    assertThat(trail("action=ClientAuditRecordedEvent&size=1000").toString())
        .doesNotContain("WIPE_EVERYTHING");
  }

  @Test
  void shouldRecordWhoReadTheTrailWithTheirQuery() {
    String actor = unique("nobody");
    Http.Answer read = admin().header("X-Request-Id", actor).get("/api/v1/audit?actor=" + actor);
    assertThat(read.status()).as(read.toString()).isEqualTo(200);

    awaitTrue(
        () ->
            trail("action=AuditTrailReadEvent&size=1000").stream()
                .anyMatch(e -> actor.equals(e.path("correlationId").asText())));
    JsonNode entry =
        trail("action=AuditTrailReadEvent&size=1000").stream()
            .filter(e -> actor.equals(e.path("correlationId").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(entry.path("actorType").asText()).isEqualTo("API_KEY");
    assertThat(entry.path("origin").asText()).isEqualTo("REST");
    assertThat(entry.path("newValues").path("query").asText())
        .isEqualTo("actor=" + actor + " page=0 size=50");
    assertThat(entry.path("summary").asText())
        .isEqualTo("read the audit trail (list actor=" + actor + " page=0 size=50): 0 record(s)");
  }

  /** A client of the test: its machine key, node key and hostname. */
  private record Client(String machinePrivate, String nodeKey, String hostname) {}

  private Client join(String preAuthKey, String stem) throws Exception {
    Client c = new Client(key("privkey:"), key("nodekey:"), unique(stem));
    Map<String, Object> req = registerRequest(c.nodeKey(), c.hostname());
    req.put("Auth", Map.of("AuthKey", preAuthKey));
    JsonNode r =
        TsHelperProcess.response(
            noise(c.machinePrivate(), List.of(Map.entry("POST /machine/register", req)), 1), 0);
    assertThat(r.path("body").asText()).as(r.toString()).contains("MachineAuthorized\":true");
    return c;
  }

  /** The map the live server sends the client now: the first frame of a map stream. */
  private JsonNode liveMap(Client c) throws Exception {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Version", 113);
    req.put("Compress", "zstd");
    req.put("KeepAlive", true);
    req.put("NodeKey", c.nodeKey());
    req.put("DiscoKey", key("discokey:"));
    req.put("Stream", true);
    req.put("OmitPeers", false);
    req.put("Hostinfo", Map.of("Hostname", c.hostname(), "OS", "linux"));
    Path body =
        Files.createTempFile(
            Files.createDirectories(Path.of(DIR, "audit-history")), "map-", ".json");
    Files.write(body, JSON.writeValueAsBytes(req));
    JsonNode r =
        TsHelperProcess.response(
            TsHelperProcess.startAs(
                    port,
                    serverKey.publicKeyText(),
                    c.machinePrivate(),
                    "-req",
                    "POST /machine/map " + body.toAbsolutePath() + " frames=1")
                .get(90, TimeUnit.SECONDS),
            0);
    assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(200);
    assertThat(r.path("frames")).as(r.toString()).isNotEmpty();
    return r.path("frames").get(0);
  }

  /**
   * What a map says about the network, leaving out what clients report (endpoints, online, DERP
   * home, last seen), which is not recorded as events: the node's addresses, each peer's name,
   * addresses and routes, and the packet filter.
   */
  private static Map<String, Object> recorded(JsonNode map) {
    Map<String, Object> peers = new java.util.TreeMap<>();
    for (JsonNode p : map.path("Peers")) {
      peers.put(
          p.path("ID").asText(),
          List.of(
              p.path("Name").asText(),
              p.path("Addresses").toString(),
              p.path("AllowedIPs").toString()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("self", map.path("Node").path("Addresses").toString());
    out.put("name", map.path("Node").path("Name").asText());
    out.put("peers", peers);
    out.put("filter", map.path("PacketFilter").toString());
    return out;
  }

  /**
   * {@link #recorded} of a past map, with only the peers the live map showed. Live, a peer appears
   * once its client has reported a disco key, which no event records: a past map lists every peer
   * the policy gave the node (other tests' nodes that never connected too). It must hold every peer
   * the live map did.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> recordedLike(JsonNode past, JsonNode live) {
    Map<String, Object> out = recorded(past);
    Map<String, Object> pastPeers = (Map<String, Object>) out.get("peers");
    java.util.Set<String> livePeers = ((Map<String, Object>) recorded(live).get("peers")).keySet();
    assertThat(pastPeers.keySet()).as("the past map's peers").containsAll(livePeers);
    pastPeers.keySet().retainAll(livePeers);
    return out;
  }

  /** The node's id, once the node list (which trails the event store) shows it. */
  private long nodeId(String hostname) {
    long[] id = {-1};
    awaitTrue(
        () -> {
          for (JsonNode n : admin().get("/api/v1/node").json().path("nodes")) {
            if (hostname.equals(n.path("name").asText())) {
              id[0] = n.path("id").asLong();
              return true;
            }
          }
          return false;
        });
    return id[0];
  }

  private void setPolicy(String policy) {
    Http.Answer set =
        admin().put("/api/v1/policy", JSON.createObjectNode().put("policy", policy).toString());
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
  }

  @Test
  void shouldAnswerForAPastMomentWhatTheLiveServerSentThen() throws Exception {
    JsonNode user = createUser(unique("pit"));
    String owner = user.path("name").asText();
    String preAuthKey = createPreAuthKey(user.path("id").asText(), null);
    setPolicy("{\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"]}]}");
    Client alpha = join(preAuthKey, "alpha");
    Client beta = join(preAuthKey, "beta");
    long betaId = nodeId(beta.hostname());
    // live, a peer appears once its client has reported a disco key (its first map request)
    liveMap(beta);
    awaitMap(alpha, m -> m.path("Peers").toString().contains(beta.hostname()));
    JsonNode liveAtFirst = liveMap(alpha);
    Instant first = Instant.now();

    Http.Answer renamed =
        admin().post("/api/v1/node/" + betaId + "/rename/" + beta.hostname() + "-db", null);
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    setPolicy(
        "{\"acls\": [{\"action\": \"accept\", \"src\": [\""
            + owner
            + "@\"], \"dst\": [\""
            + owner
            + "@:22\"]}]}");
    String allowAll = liveAtFirst.path("PacketFilter").toString();
    awaitMap(
        alpha,
        m ->
            !m.path("PacketFilter").toString().equals(allowAll)
                && m.path("Peers").toString().contains(beta.hostname() + "-db"));
    JsonNode liveAtSecond = liveMap(alpha);
    Instant second = Instant.now();
    assertThat(recorded(liveAtSecond)).isNotEqualTo(recorded(liveAtFirst));

    long alphaId = nodeId(alpha.hostname());
    assertThat(recordedLike(pastMap(alphaId, first), liveAtFirst)).isEqualTo(recorded(liveAtFirst));
    assertThat(recordedLike(pastMap(alphaId, second), liveAtSecond))
        .isEqualTo(recorded(liveAtSecond));
    assertClaimsWereLive(pastMap(alphaId, first), liveAtFirst);
    assertClaimsWereLive(pastMap(alphaId, second), liveAtSecond);
    JsonNode notRecorded = pastAnswer(alphaId, second).path("notRecorded");
    assertThat(notRecorded.toString()).contains("Peers[].Online", "Peers[].Endpoints", "DERPMap");

    Http.Answer nodesThen = admin().get("/api/v1/history/nodes?at=" + first);
    assertThat(nodesThen.status()).as(nodesThen.toString()).isEqualTo(200);
    assertThat(nodesThen.json().path("nodes").toString())
        .contains("\"givenName\":\"" + beta.hostname() + "\"")
        .doesNotContain(beta.hostname() + "-db");
    assertThat(
            admin().get("/api/v1/history/netmap/" + alphaId + "?at=2000-01-01T00:00:00Z").status())
        .isEqualTo(404);

    Http.Answer diff = admin().get("/api/v1/audit/diff?from=" + first + "&to=" + second);
    assertThat(diff.status()).as(diff.toString()).isEqualTo(200);
    JsonNode changes = diff.json().path("changes");
    JsonNode betaChange =
        StreamSupport.stream(changes.spliterator(), false)
            .filter(
                c ->
                    "node".equals(c.path("targetType").asText())
                        && Long.toString(betaId).equals(c.path("targetId").asText()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no change of beta in " + changes));
    assertThat(betaChange.path("before").path("givenName").asText()).isEqualTo(beta.hostname());
    assertThat(betaChange.path("after").path("givenName").asText())
        .isEqualTo(beta.hostname() + "-db");
    assertThat(betaChange.path("changes").get(0).path("actorType").asText()).isEqualTo("API_KEY");
    assertThat(changes.toString()).contains("\"targetType\":\"policy\"");
  }

  /**
   * Asks for the client's live map until it shows what {@code shows} wants; fails with the last.
   */
  private void awaitMap(Client c, java.util.function.Predicate<JsonNode> shows) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    JsonNode last = liveMap(c);
    while (!shows.test(last)) {
      assertThat(System.nanoTime()).as("the live map still shows %s", last).isLessThan(deadline);
      Thread.sleep(250);
      last = liveMap(c);
    }
  }

  private JsonNode pastMap(long nodeId, Instant at) {
    return pastAnswer(nodeId, at).path("map");
  }

  private JsonNode pastAnswer(long nodeId, Instant at) {
    Http.Answer answer = admin().get("/api/v1/history/netmap/" + nodeId + "?at=" + at);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.json();
  }

  /**
   * Everything a past map claims is what the live map said then: each of its fields, the node's own
   * and every peer's the live map also listed, field by field (a past map also lists peers whose
   * client had not connected yet, which live maps leave out). What no event records (client
   * reports, today's DERP and DNS settings) is absent rather than guessed.
   */
  private static void assertClaimsWereLive(JsonNode past, JsonNode live) {
    assertThat(past.path("Peers").size()).isGreaterThanOrEqualTo(live.path("Peers").size());
    past.fieldNames()
        .forEachRemaining(
            f -> {
              if (f.equals("Peers")) {
                for (JsonNode livePeer : live.path("Peers")) {
                  JsonNode pastPeer =
                      StreamSupport.stream(past.path("Peers").spliterator(), false)
                          .filter(p -> p.path("ID").equals(livePeer.path("ID")))
                          .findFirst()
                          .orElseThrow(() -> new AssertionError("no peer " + livePeer));
                  sameFields("Peers[" + livePeer.path("ID") + "]", pastPeer, livePeer);
                }
              } else if (f.equals("Node")) {
                sameFields("Node", past.path("Node"), live.path("Node"));
              } else if (f.equals("UserProfiles")) {
                // the users of the peers the live map left out come with those peers
                for (JsonNode liveProfile : live.path("UserProfiles")) {
                  assertThat(past.path("UserProfiles"))
                      .as("the past map's UserProfiles")
                      .contains(liveProfile);
                }
              } else if (f.equals("ControlTime")) {
                // the past map is as of the moment asked for, taken after the live one arrived:
                // a moment after it (the same second unless one ended in between)
                assertThat(Instant.parse(past.get(f).asText()))
                    .as("the past map's ControlTime")
                    .isBetween(
                        Instant.parse(live.get(f).asText()),
                        Instant.parse(live.get(f).asText()).plusSeconds(5));
              } else {
                assertThat(past.get(f)).as("the past map's " + f).isEqualTo(live.get(f));
              }
            });
    for (String absent : List.of("DERPMap", "DNSConfig")) {
      assertThat(past.has(absent)).as(absent + " is today's configuration").isFalse();
    }
  }

  private static void sameFields(String what, JsonNode past, JsonNode live) {
    for (String client : List.of("Online", "Endpoints", "DiscoKey", "LastSeen", "Hostinfo")) {
      assertThat(past.has(client)).as(what + "." + client + " is a client report").isFalse();
    }
    past.fieldNames()
        .forEachRemaining(f -> assertThat(past.get(f)).as(what + "." + f).isEqualTo(live.get(f)));
  }

  private List<JsonNode> refusalsOf(String hostname) {
    return trail("action=CommandRefusedEvent&size=1000").stream()
        .filter(e -> hostname.equals(e.path("actorName").asText()))
        .toList();
  }

  private List<JsonNode> trail(String query) {
    Http.Answer answer = admin().get("/api/v1/audit?" + query);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return StreamSupport.stream(answer.json().path("entries").spliterator(), false).toList();
  }

  private static Map<String, Object> registerRequest(String nodeKey, String hostname) {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Version", 113);
    req.put("NodeKey", nodeKey);
    req.put("Hostinfo", Map.of("Hostname", hostname));
    req.put("Expiry", "0001-01-01T00:00:00Z");
    return req;
  }

  /** One Noise connection as {@code machine}, sending each request {@code times} times in order. */
  private List<JsonNode> noise(
      String machine, List<Map.Entry<String, Map<String, Object>>> requests, int times)
      throws Exception {
    Path dir = Files.createDirectories(Path.of(DIR, "audit-history"));
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> r : requests) {
      Path body = Files.createTempFile(dir, "req-", ".json").toAbsolutePath();
      Files.write(body, JSON.writeValueAsBytes(r.getValue()));
      for (int i = 0; i < times; i++) {
        args.add("-req");
        args.add(r.getKey() + " " + body);
      }
    }
    return TsHelperProcess.startAs(
            port, serverKey.publicKeyText(), machine, args.toArray(String[]::new))
        .get(90, TimeUnit.SECONDS);
  }
}
