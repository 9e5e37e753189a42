// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.it.map.TsHelperProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keyless (interactive) registrations cost their sender nothing: one source is rate-limited, the
 * requests waiting for a login are capped, and a refused request stores nothing, however often it
 * is retried. Driven by Tailscale's own client code (tshelper) over a real Noise session.
 */
class KeylessRegistrationFloodIT extends LimitedServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int FLOOD = 10;

  @Test
  void shouldRefuseAFloodFromOneSourceWithoutStoringEachRefusalAndCapWhatWaits() throws Exception {
    long before = storedEvents();
    List<JsonNode> first = registerTimes(FLOOD);
    int accepted = count(first, 200);
    List<JsonNode> refused = withStatus(first, 429);
    // a token comes back every 10 s; the run may have taken that long on a loaded machine
    assertThat(accepted).as(first.toString()).isBetween(1, REGISTRATION_BURST + 1);
    assertThat(refused).as(first.toString()).hasSize(FLOOD - accepted);
    assertThat(refused)
        .allSatisfy(
            r ->
                assertThat(r.path("body").asText())
                    .contains("too many registration requests")
                    .contains("retry after"));
    assertThat(storedEvents() - before)
        .as("events stored for %d accepted and %d refused requests", accepted, refused.size())
        .isLessThanOrEqualTo(accepted);

    // once tokens are back, the cap on requests waiting for a login refuses instead
    Thread.sleep(TimeUnit.SECONDS.toMillis(60 / REGISTRATIONS_PER_MINUTE * 2 + 5));
    long middle = storedEvents();
    List<JsonNode> second = registerTimes(PENDING_PER_SOURCE);
    int acceptedLater = count(second, 200);
    assertThat(accepted + acceptedLater).as(second.toString()).isEqualTo(PENDING_PER_SOURCE);
    assertThat(withStatus(second, 429))
        .as(second.toString())
        .isNotEmpty()
        .anySatisfy(r -> assertThat(r.path("body").asText()).contains("waiting for a login"));
    assertThat(storedEvents() - middle).isLessThanOrEqualTo(acceptedLater);
    assertThat(adminStatus()).isEqualTo(200);
  }

  /** One Noise session sending {@code n} keyless registrations, one after another. */
  private List<JsonNode> registerTimes(int n) throws Exception {
    Path body = Files.createTempFile(Path.of(DIR), "register", ".json");
    Files.writeString(
        body,
        JSON.writeValueAsString(
            Map.of(
                "Version",
                137,
                "NodeKey",
                key("nodekey:"),
                "Hostinfo",
                Map.of("Hostname", "flood", "OS", "linux"),
                "Expiry",
                "0001-01-01T00:00:00Z")));
    List<String> args = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      args.add("-req");
      args.add("POST /machine/register " + body);
    }
    List<JsonNode> lines =
        TsHelperProcess.startAs(
                port, serverKey.publicKeyText(), key("privkey:"), args.toArray(String[]::new))
            .get(120, TimeUnit.SECONDS);
    List<JsonNode> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(TsHelperProcess.response(lines, i));
    }
    return answers;
  }

  private static int count(List<JsonNode> answers, int status) {
    return withStatus(answers, status).size();
  }

  private static List<JsonNode> withStatus(List<JsonNode> answers, int status) {
    return answers.stream().filter(a -> a.path("status").asInt() == status).toList();
  }

  private static String key(String type) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return type + HexFormat.of().formatHex(raw);
  }
}
