// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ledgerscale.gateway.tailcfg.DERPMap;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the DERP map from Headscale's {@code derp.urls} and {@code derp.paths}. Files are YAML or
 * JSON in Tailscale's DERPMap shape; Headscale's examples spell the keys in lower case ({@code
 * regionid}), so keys match case-insensitively. Later sources replace regions of the same id. A
 * region with no value is dropped: the client would read a null region as "delete it".
 */
public final class DerpMaps {
  private static final Logger log = LoggerFactory.getLogger(DerpMaps.class);
  private static final ObjectMapper READER =
      YAMLMapper.builder()
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private DerpMaps() {}

  /**
   * A file that cannot be read or parsed is a configuration error; an unreachable URL is logged and
   * skipped.
   */
  public static DERPMap load(List<String> urls, List<String> paths) {
    Map<String, DERPMap.Region> regions = new TreeMap<>();
    for (String url : urls == null ? List.<String>of() : urls) {
      try {
        merge(regions, fetch(url));
      } catch (IOException | RuntimeException e) {
        log.warn("DERP map from {} not loaded: {}", url, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (String path : paths == null ? List.<String>of() : paths) {
      try {
        merge(regions, parse(Files.readString(Path.of(path))));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "derp.paths: cannot read " + path + ": " + e.getMessage(), e);
      }
    }
    return new DERPMap(Map.copyOf(regions), null);
  }

  /** Parses one DERP map document. */
  public static DERPMap parse(String text) throws IOException {
    DERPMap map = READER.readValue(text, DERPMap.class);
    return map == null ? new DERPMap(Map.of(), null) : map;
  }

  private static DERPMap fetch(String url) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode());
    }
    return parse(r.body());
  }

  private static void merge(Map<String, DERPMap.Region> into, DERPMap map) {
    if (map.regions() == null) {
      return;
    }
    map.regions()
        .forEach(
            (id, region) -> {
              if (region != null) {
                into.put(
                    Integer.toString(
                        region.regionId() != 0 ? region.regionId() : Integer.parseInt(id)),
                    region);
              }
            });
  }
}
