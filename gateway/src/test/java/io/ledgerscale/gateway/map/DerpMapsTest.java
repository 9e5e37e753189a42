// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.gateway.tailcfg.DERPMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerpMapsTest {
  @TempDir Path dir;

  @Test
  void canReadHeadscalesLowerCaseYamlAndTailscalesJsonAndMergeThem() throws Exception {
    Path yaml = dir.resolve("derp.yaml");
    Files.writeString(
        yaml,
        """
        regions:
          900:
            regionid: 900
            regioncode: custom
            regionname: My Region
            nodes:
              - name: 900a
                regionid: 900
                hostname: derp.example.com
                ipv4: 192.0.2.1
                ipv6: "none"
                stunport: 3478
                stunonly: false
                derpport: 443
          901: null
        """);
    Path json = dir.resolve("derp.json");
    Files.writeString(
        json,
        """
        {"Regions":{"902":{"RegionID":902,"RegionCode":"b","RegionName":"B","Nodes":[
          {"Name":"902a","RegionID":902,"HostName":"b.example.com","DERPPort":8443}]}}}
        """);

    DERPMap map = DerpMaps.load(List.of(), List.of(yaml.toString(), json.toString()));

    assertThat(map.regions()).containsOnlyKeys("900", "902");
    DERPMap.DERPNode node = map.regions().get("900").nodes().get(0);
    assertThat(node.hostName()).isEqualTo("derp.example.com");
    assertThat(node.ipv6()).isEqualTo("none");
    assertThat(node.stunPort()).isEqualTo(3478);
    assertThat(map.regions().get("902").nodes().get(0).derpPort()).isEqualTo(8443);
  }

  @Test
  void cannotStartFromAMissingDerpFileButSkipsAnUnreachableUrl() {
    assertThatThrownBy(() -> DerpMaps.load(List.of(), List.of(dir.resolve("nope.yaml").toString())))
        .hasMessageContaining("derp.paths");
    assertThat(DerpMaps.load(List.of("http://127.0.0.1:1/derpmap"), List.of()).regions()).isEmpty();
  }
}
