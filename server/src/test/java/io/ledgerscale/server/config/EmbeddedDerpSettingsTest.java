// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.gateway.tailcfg.DERPMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Headscale's derp.server.* keys: read, checked, and the embedded region in the DERP map. */
class EmbeddedDerpSettingsTest {
  @TempDir Path tmp;

  private LedgerscaleConfig load(String yaml) throws IOException {
    Path f = Files.writeString(tmp.resolve("config-" + System.nanoTime() + ".yaml"), yaml);
    return ConfigLoader.load(f.toString(), Map.of()).config();
  }

  @Test
  void theEmbeddedRegionIsTheOnlyOneWhenNoUrlsOrPathsAreGiven() throws IOException {
    LedgerscaleConfig c =
        load(
            """
            server_url: https://hs.example.com
            derp:
              urls: []
              server:
                enabled: true
                region_id: 999
                region_code: home
                region_name: Home relay
                stun_listen_addr: 0.0.0.0:3479
                ipv4: 198.51.100.4
            """);

    DERPMap map = EmbeddedDerpRegion.derpMap(c, c.serverUrl(), EmbeddedDerpRegion.loaded(c));

    assertThat(map.regions()).containsOnlyKeys("999");
    DERPMap.Region r = map.regions().get("999");
    assertThat(r.regionCode()).isEqualTo("home");
    assertThat(r.regionName()).isEqualTo("Home relay");
    DERPMap.DERPNode n = r.nodes().get(0);
    assertThat(n.hostName()).isEqualTo("hs.example.com");
    assertThat(n.derpPort()).isEqualTo(443);
    assertThat(n.stunPort()).isEqualTo(3479);
    assertThat(n.ipv4()).isEqualTo("198.51.100.4");
    assertThat(n.ipv6()).isNull();
    assertThat(c.derpPrivateKeyPath())
        .isEqualTo(c.dataDirectory().resolve("derp_server_private.key"));
  }

  @Test
  void noEmbeddedRegionWhenTheServerIsOffOrNotToBeAdded() throws IOException {
    String off = "derp:\n  urls: []\n";
    assertThat(derpMapOf(load(off)).regions()).isEmpty();
    String notAdded =
        """
        derp:
          urls: []
          server:
            enabled: true
            automatically_add_embedded_derp_region: false
        """;
    assertThat(derpMapOf(load(notAdded)).regions()).isEmpty();
  }

  @Test
  void anEmptyStunAddressTellsClientsThereIsNoStun() throws IOException {
    LedgerscaleConfig c =
        load(
            """
            server_url: http://127.0.0.1:8080
            derp:
              urls: []
              server:
                enabled: true
                stun_listen_addr: ""
            """);
    DERPMap.DERPNode n =
        EmbeddedDerpRegion.derpMap(c, c.serverUrl(), EmbeddedDerpRegion.loaded(c))
            .regions()
            .get("999")
            .nodes()
            .get(0);
    assertThat(n.stunPort()).isEqualTo(-1);
    assertThat(n.derpPort()).isEqualTo(8080);
  }

  @Test
  void refusesABadRegionOrStunAddressOnlyWhenEnabled() throws IOException {
    assertThatThrownBy(() -> load("derp:\n  server:\n    enabled: true\n    region_id: 0\n"))
        .hasMessageContaining("derp.server.region_id");
    assertThatThrownBy(
            () -> load("derp:\n  server:\n    enabled: true\n    stun_listen_addr: nowhere\n"))
        .hasMessageContaining("derp.server.stun_listen_addr");
    assertThatThrownBy(
            () -> load("derp:\n  server:\n    enabled: true\n    region_code: \"a b\"\n"))
        .hasMessageContaining("derp.server.region_code");
    assertThatThrownBy(
            () -> load("derp:\n  server:\n    enabled: true\n    ipv4: relay.example.com\n"))
        .hasMessageContaining("derp.server.ipv4");
    assertThatThrownBy(() -> load("derp:\n  server:\n    enabled: true\n    ipv6: 10.0.0.1\n"))
        .hasMessageContaining("derp.server.ipv6");
    load("derp:\n  server:\n    enabled: true\n    ipv4: 10.0.0.1\n    ipv6: \"2001:db8::1\"\n");
    load("derp:\n  server:\n    enabled: false\n    region_id: 0\n");
  }

  @Test
  void meshPeersAreHttpUrlsAndNeedTheMeshKeyFile() throws IOException {
    LedgerscaleConfig c =
        load(
            """
            derp:
              server:
                enabled: true
                mesh_key_path: /etc/ledgerscale/derp-mesh.key
                mesh_with: [https://ls-1.internal, "http://10.0.0.2:8080"]
            """);
    assertThat(c.derp.server.meshPeers())
        .extracting(java.net.URI::toString)
        .containsExactly("https://ls-1.internal", "http://10.0.0.2:8080");
    assertThatThrownBy(
            () ->
                load(
                    "derp:\n  server:\n    enabled: true\n    mesh_with: [https://ls-1.internal]\n"))
        .hasMessageContaining("derp.server.mesh_key_path");
    // an empty YAML list is read as null: no peers
    assertThat(
            load("derp:\n  server:\n    enabled: true\n    mesh_with:\n").derp.server.meshPeers())
        .isEmpty();
    for (String bad :
        new String[] {"ls-1.internal:443", "ftp://ls-1", "https://u:p@ls-1", "https://ls-1/?q=1"}) {
      assertThatThrownBy(
              () ->
                  load(
                      "derp:\n  server:\n    enabled: true\n    mesh_key_path: /k\n"
                          + "    mesh_with: [\""
                          + bad
                          + "\"]\n"))
          .as(bad)
          .hasMessageContaining("derp.server.mesh_with");
    }
  }

  private static DERPMap derpMapOf(LedgerscaleConfig c) {
    return EmbeddedDerpRegion.derpMap(c, c.serverUrl(), EmbeddedDerpRegion.loaded(c));
  }
}
