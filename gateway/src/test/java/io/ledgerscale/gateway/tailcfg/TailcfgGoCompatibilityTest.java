// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.gateway.support.TsHelper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our DTOs as JSON, decoded by Go into the tailcfg types of each pinned release with unknown fields
 * refused: a misspelt field name would otherwise be dropped silently by real clients.
 */
class TailcfgGoCompatibilityTest {
  private static final String NODE_KEY = "nodekey:" + "ab".repeat(32);
  private static final String MACHINE_KEY = "mkey:" + "cd".repeat(32);
  private static final String DISCO_KEY = "discokey:" + "ef".repeat(32);
  @TempDir Path dir;

  private JsonNode decode(String version, String type, Object value) throws Exception {
    Path f = Files.createTempFile(dir, type, ".json");
    Files.write(f, TailcfgJson.MAPPER.writeValueAsBytes(value));
    List<JsonNode> out =
        TsHelper.run(version, List.of("-decode-as", type, "-decode-file", f.toString()));
    return TsHelper.event(out, "decoded").path("value");
  }

  static Node node() {
    JsonNode hostinfo =
        TailcfgJson.MAPPER.createObjectNode().put("Hostname", "laptop").put("OS", "linux");
    return new Node(
        7,
        "7",
        "laptop.tail.example.com.",
        3,
        NODE_KEY,
        "2027-01-01T00:00:00Z",
        MACHINE_KEY,
        DISCO_KEY,
        List.of("100.64.0.7/32", "fd7a:115c:a1e0::7/128"),
        List.of("100.64.0.7/32", "fd7a:115c:a1e0::7/128", "10.0.0.0/24"),
        List.of("192.0.2.7:41641"),
        900,
        hostinfo,
        "2026-01-01T00:00:00Z",
        113,
        List.of("tag:web"),
        List.of("10.0.0.0/24"),
        "2026-11-22T10:00:00Z",
        true,
        true,
        Map.of(
            "https://tailscale.com/cap/is-admin",
            List.of(),
            "default-auto-update",
            List.of(TailcfgJson.MAPPER.getNodeFactory().booleanNode(false))),
        false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.80.3", "v1.102.5"})
  void shouldDecodeAFullMapResponseInGo(String version) throws Exception {
    DERPMap derp =
        new DERPMap(
            Map.of(
                "900",
                new DERPMap.Region(
                    900,
                    "ls",
                    "Ledgerscale",
                    List.of(
                        new DERPMap.DERPNode(
                            "900a",
                            900,
                            "derp.example.com",
                            "192.0.2.1",
                            "none",
                            3478,
                            443,
                            false,
                            true)))),
            true);
    DNSConfig dns =
        new DNSConfig(
            List.of(new DNSConfig.Resolver("1.1.1.1")),
            Map.of(
                "64.100.in-addr.arpa.",
                List.of(),
                "corp.example.com",
                List.of(new DNSConfig.Resolver("10.0.0.53"))),
            List.of(),
            List.of("tail.example.com"),
            true,
            List.of(new DNSConfig.DNSRecord("db.tail.example.com", "", "100.64.0.9")),
            List.of("laptop.tail.example.com"));
    MapResponse full =
        new MapResponse(
            null,
            node(),
            derp,
            List.of(node()),
            List.of(node()),
            List.of(9L),
            Map.of("7", true),
            dns,
            "example.com",
            false,
            List.of(
                new FilterRule(
                    List.of("100.64.0.0/10"),
                    List.of(new FilterRule.NetPortRange("*", new FilterRule.PortRange(22, 22))),
                    List.of(6, 17))),
            List.of(new UserProfile(3, "alice@example.com", "Alice", "https://example.com/a.png")),
            "2026-11-22T10:00:00Z",
            new MapResponse.Debug(true));

    JsonNode go = decode(version, "MapResponse", full);
    assertThat(go.path("Node").path("ID").asLong()).isEqualTo(7);
    assertThat(go.path("Node").path("Key").asText()).isEqualTo(NODE_KEY);
    assertThat(go.path("Node").path("HomeDERP").asInt()).isEqualTo(900);
    assertThat(
            go.path("DERPMap")
                .path("Regions")
                .path("900")
                .path("Nodes")
                .get(0)
                .path("HostName")
                .asText())
        .isEqualTo("derp.example.com");
    assertThat(go.path("DNSConfig").path("Routes").path("64.100.in-addr.arpa.").isArray()).isTrue();
    assertThat(
            go.path("PacketFilter")
                .get(0)
                .path("DstPorts")
                .get(0)
                .path("Ports")
                .path("First")
                .asInt())
        .isEqualTo(22);
    assertThat(go.path("PeersRemoved").get(0).asLong()).isEqualTo(9);
    assertThat(decode(version, "MapResponse", MapResponse.KEEP_ALIVE).path("KeepAlive").asBoolean())
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.80.3", "v1.102.5"})
  void shouldDecodeEveryRegisterResponseInGo(String version) throws Exception {
    JsonNode ok =
        decode(
            version,
            "RegisterResponse",
            RegisterResponse.authorized(
                new User(3, "Alice", null, "2026-01-01T00:00:00Z"),
                new Login(3, "oidc", "alice@example.com", "Alice", null)));
    assertThat(ok.path("MachineAuthorized").asBoolean()).isTrue();
    assertThat(ok.path("User").path("ID").asLong()).isEqualTo(3);
    assertThat(
            decode(
                    version,
                    "RegisterResponse",
                    RegisterResponse.needsLogin("http://x/register/abc"))
                .path("AuthURL")
                .asText())
        .isEqualTo("http://x/register/abc");
    assertThat(
            decode(version, "RegisterResponse", RegisterResponse.error("no"))
                .path("Error")
                .asText())
        .isEqualTo("no");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.80.3", "v1.102.5"})
  void shouldDecodeOurRequestTypesAndKeyAnswersInGo(String version) throws Exception {
    RegisterRequest register =
        new RegisterRequest(
            113,
            NODE_KEY,
            "nodekey:" + "0".repeat(64),
            "nlpub:" + "1".repeat(64),
            new RegisterRequest.Auth("k", null),
            "0001-01-01T00:00:00Z",
            "",
            new Hostinfo(
                "1.80.3",
                null,
                "b",
                "linux",
                null,
                "laptop",
                "amd64",
                List.of("10.0.0.0/24"),
                List.of("tag:web"),
                null),
            true,
            null,
            null);
    assertThat(decode(version, "RegisterRequest", register).path("NodeKey").asText())
        .isEqualTo(NODE_KEY);
    MapRequest map =
        new MapRequest(
            113,
            "zstd",
            true,
            NODE_KEY,
            DISCO_KEY,
            true,
            false,
            null,
            List.of("192.0.2.7:41641"),
            List.of(1),
            null,
            null,
            List.of("netstack"),
            false);
    assertThat(decode(version, "MapRequest", map).path("Stream").asBoolean()).isTrue();
  }
}
