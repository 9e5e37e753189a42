// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.PolicyException;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.it.api.RunningServer;
import io.ledgerscale.it.map.TsHelperProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Garbage sent to a running server changes nothing: a bounded number of broken bodies to every
 * admin endpoint that reads one (with a valid admin key, so the body is what is judged), broken
 * register and map bodies over a real Noise connection (Tailscale's own client code, tshelper),
 * garbage handshakes on /ts2021, and mutated policies that the parser refuses. Every answer is a
 * 4xx (a problem document on the admin API), and the event store gains nothing but bounded refusal
 * events (and the admin key's own once-a-minute use mark).
 *
 * <p>The bodies come from a seeded generator: {@code -Dledgerscale.fuzz.seed=N} replays a run (the
 * seed is in every failure message), {@code -Dledgerscale.fuzz.bodies=N} sends more per endpoint.
 */
class GarbageBodiesIT extends RunningServer {
  private static final long SEED = Long.getLong("ledgerscale.fuzz.seed", System.nanoTime());
  private static final int PER_ENDPOINT = Integer.getInteger("ledgerscale.fuzz.bodies", 12);

  /** A refusal keeps an excerpt of what it refuses, never the whole of a large value. */
  private static final int MAX_REFUSAL_EVENT_BYTES = 16 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static final String POLICY =
      """
      {
        "groups": {"group:eng": ["alice@example.com", "bob@"], "group:ops": ["bob@"]},
        "hosts": {"db": "10.1.2.3"},
        "tagOwners": {"tag:server": ["group:eng"]},
        "acls": [{"action": "accept", "src": ["group:eng"], "dst": ["tag:server:22,80-90", "db:*"]}],
        "ssh": [{"action": "check", "src": ["group:eng"], "dst": ["tag:server"], "users": ["root"],
                 "checkPeriod": "12h"}],
      }
      """;

  /** Every admin endpoint that reads a body, with an honest body to start mutating from. */
  private static final String[][] ADMIN_ENDPOINTS = {
    {
      "POST", "/api/v1/user", "{\"name\":\"fz\",\"display_name\":\"F\",\"email\":\"f@example.com\"}"
    },
    {
      "POST",
      "/api/v1/preauthkey",
      "{\"user\":\"1\",\"reusable\":true,\"ephemeral\":false,"
          + "\"expiration\":\"2030-01-01T00:00:00Z\",\"aclTags\":[\"tag:server\"]}"
    },
    {"POST", "/api/v1/preauthkey/expire", "{\"id\":1}"},
    {"POST", "/api/v1/apikey", "{\"expiration\":\"2030-01-01T00:00:00Z\"}"},
    {"POST", "/api/v1/apikey/expire", "{\"prefix\":\"abcdefgh\",\"id\":1}"},
    {"PUT", "/api/v1/policy", "{\"policy\":\"{}\"}"},
    {"POST", "/api/v1/policy/check", "{\"policy\":\"{}\"}"},
    {"POST", "/api/v1/node/1/tags", "{\"tags\":[\"tag:server\"]}"},
    {"POST", "/api/v1/node/1/approve_routes", "{\"routes\":[\"10.0.0.0/8\"]}"},
    {"POST", "/api/v1/node/1/transfer", "{\"user\":\"fz\",\"reason\":\"r\"}"},
    {"POST", "/api/v1/auth/register", "{\"user\":\"fz\",\"auth_id\":\"abc\"}"},
    {"POST", "/api/v1/auth/approve", "{\"auth_id\":\"abc\"}"},
    {"POST", "/api/v1/auth/reject", "{\"auth_id\":\"abc\",\"reason\":\"r\"}"},
  };

  private static final String REGISTER =
      "{\"Version\":113,\"NodeKey\":\"nodekey:"
          + "0".repeat(63)
          + "1\",\"OldNodeKey\":\"\",\"Auth\":{\"AuthKey\":\"k\"},"
          + "\"Hostinfo\":{\"Hostname\":\"fz\",\"OS\":\"linux\",\"RoutableIPs\":[\"10.0.0.0/8\"]},"
          + "\"Followup\":\"\",\"Expiry\":\"0001-01-01T00:00:00Z\"}";
  private static final String MAP =
      "{\"Version\":113,\"NodeKey\":\"nodekey:"
          + "0".repeat(63)
          + "1\",\"DiscoKey\":\"discokey:"
          + "0".repeat(64)
          + "\",\"Stream\":false,\"Endpoints\":[\"127.0.0.1:41641\"],\"EndpointTypes\":[1],"
          + "\"Hostinfo\":{\"Hostname\":\"fz\",\"NetInfo\":{\"PreferredDERP\":1}}}";

  @Autowired ServerMachineKey serverKey;
  @Autowired DataSource dataSource;

  @Test
  void garbageAdminBodiesAreRefusedAndChangeNothing() throws Exception {
    long before = settledIndex();
    GarbageBodies garbage = new GarbageBodies(SEED);
    for (String[] e : ADMIN_ENDPOINTS) {
      for (int i = 0; i < PER_ENDPOINT; i++) {
        byte[] body = garbage.from(e[2]);
        HttpResponse<String> r = send(e[0], e[1], body);
        assertThat(r.statusCode())
            .as("%s %s with %s (seed %d) answered %s", e[0], e[1], show(body), SEED, r.body())
            .isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
            .as("%s %s (seed %d)", e[0], e[1], SEED)
            .startsWith("application/problem+json");
      }
    }
    assertOnlyBoundedRefusalsSince(before);
  }

  @Test
  void refusedPoliciesChangeNothing() throws Exception {
    long before = settledIndex();
    Random random = new Random(SEED);
    for (int sent = 0; sent < PER_ENDPOINT; ) {
      String mutated = mutatePolicy(random);
      if (refused(mutated)) {
        byte[] body = JSON.writeValueAsBytes(Map.of("policy", mutated));
        HttpResponse<String> r = send("PUT", "/api/v1/policy", body);
        assertThat(r.statusCode())
            .as("policy %s (seed %d) answered %s", mutated, SEED, r.body())
            .isBetween(400, 499);
        sent++;
      }
    }
    assertOnlyBoundedRefusalsSince(before);
  }

  @Test
  void garbageRegisterAndMapBodiesOverNoiseAreRefusedAndChangeNothing() throws Exception {
    TsHelperProcess.binary();
    long before = settledIndex();
    GarbageBodies garbage = new GarbageBodies(SEED);
    overNoise("/machine/register", REGISTER, garbage);
    overNoise("/machine/map", MAP, garbage);
    assertOnlyBoundedRefusalsSince(before);
  }

  @Test
  void garbageHandshakesAreRefusedAndChangeNothing() throws Exception {
    long before = settledIndex();
    garbageHandshakes(new Random(SEED));
    assertOnlyBoundedRefusalsSince(before);
  }

  /**
   * The event store's last position once the admin key's use mark (at most once a minute) is in.
   */
  private long settledIndex() throws Exception {
    assertThat(send("GET", "/api/v1/user", null).statusCode()).isEqualTo(200);
    long index = lastGlobalIndex();
    for (int i = 0; i < 20; i++) {
      Thread.sleep(100);
      long now = lastGlobalIndex();
      if (now != index) {
        index = now;
        i = 0;
      }
    }
    return index;
  }

  private void assertOnlyBoundedRefusalsSince(long before) throws SQLException {
    assertThat(eventsAfter(before))
        .as("events appended by garbage (seed %d)", SEED)
        .allMatch(e -> e.startsWith("ok "));
  }

  /** One Noise connection carrying garbage bodies to {@code path}, one request after another. */
  private void overNoise(String path, String valid, GarbageBodies garbage) throws Exception {
    Path dir = Files.createDirectories(Path.of(DIR_GARBAGE, path.replace('/', '_')));
    List<String> args =
        new ArrayList<>(
            List.of(
                "-addr",
                "127.0.0.1:" + port,
                "-server-key",
                serverKey.publicKeyText(),
                "-timeout",
                "80s"));
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < PER_ENDPOINT; i++) {
      byte[] body = garbage.from(valid);
      bodies.add(body);
      Path f = dir.resolve("body-" + i);
      Files.write(f, body);
      args.add("-req");
      args.add("POST " + path + " " + f.toAbsolutePath());
    }
    List<JsonNode> lines = TsHelperProcess.start(args).get(100, TimeUnit.SECONDS);
    for (int i = 0; i < bodies.size(); i++) {
      JsonNode r = TsHelperProcess.response(lines, i);
      assertThat(r.path("status").asInt())
          .as("%s with %s (seed %d) answered %s", path, show(bodies.get(i)), SEED, r)
          .isBetween(400, 499);
    }
  }

  /** Upgrades with garbage initiations: refused, and the connection is closed. */
  private void garbageHandshakes(Random random) throws IOException {
    for (int i = 0; i < PER_ENDPOINT; i++) {
      byte[] init = new byte[random.nextBoolean() ? 101 : 1 + random.nextInt(300)];
      random.nextBytes(init);
      if (init.length > 4) {
        init[2] = 1; // the initiation type, so the refusal comes from the crypto, not the framing
        init[3] = 0;
        init[4] = 96;
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(30_000);
        OutputStream out = s.getOutputStream();
        out.write(
            ("POST /ts2021 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: tailscale-control-protocol\r\n"
                    + "Connection: upgrade\r\nX-Tailscale-Handshake: "
                    + Base64.getEncoder().encodeToString(init)
                    + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String answer = readToEnd(s.getInputStream());
        assertThat(answer)
            .as("garbage handshake (seed %d)", SEED)
            .matches("(?s)HTTP/1\\.1 (101|4\\d\\d) .*");
      }
    }
  }

  /** Reads until the server closes; a connection it keeps open is a failure. */
  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept a refused handshake open: " + got, e);
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }

  private static String mutatePolicy(Random random) {
    StringBuilder p = new StringBuilder(POLICY);
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      int at = random.nextInt(p.length());
      switch (random.nextInt(4)) {
        case 0 -> p.deleteCharAt(at);
        case 1 -> p.insert(at, "{}[]:,\"/*@".charAt(random.nextInt(10)));
        case 2 -> p.insert(at, "[".repeat(100 + random.nextInt(5_000)));
        default -> p.setCharAt(at, (char) random.nextInt(0x80));
      }
    }
    return p.toString();
  }

  private static boolean refused(String policy) {
    try {
      Policy.parse(policy);
      return false;
    } catch (PolicyException e) {
      return true;
    }
  }

  private HttpResponse<String> send(String method, String path, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + initialApiKey());
    if (body == null) {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      r.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }
    return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private long lastGlobalIndex() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement("SELECT coalesce(max(globalindex), 0) FROM domainevententry");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The events appended since {@code index}, each as "ok ..." when it is allowed (a bounded
   * refusal, or the admin key's use mark) and "bad ..." otherwise.
   */
  private List<String> eventsAfter(long index) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT payloadtype, length(payload) FROM domainevententry WHERE globalindex > ?"
                    + " ORDER BY globalindex")) {
      st.setLong(1, index);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(1);
          int size = rs.getInt(2);
          boolean ok =
              (type.equals(CommandRefusedEvent.class.getName()) && size <= MAX_REFUSAL_EVENT_BYTES)
                  || type.equals(ApiKeyUsedEvent.class.getName());
          out.add((ok ? "ok " : "bad ") + type + " of " + size + " bytes");
        }
      }
    }
    return out;
  }

  private static String show(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 120), StandardCharsets.ISO_8859_1);
    return "\"" + text.replaceAll("[^\\x20-\\x7e]", "?") + "\" (" + body.length + " bytes)";
  }

  private static final String DIR_GARBAGE = "target/it-garbage-bodies";
}
