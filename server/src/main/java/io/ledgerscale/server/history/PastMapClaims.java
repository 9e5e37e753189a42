// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes out of a rebuilt map what no event records, so a past map claims only what the store can
 * prove: what clients report about themselves (endpoints, disco key, DERP home, Hostinfo, online,
 * last seen) and what comes from today's configuration (the DERP map and DNS settings). The rest
 * (the node and its peers' names, keys, addresses, allowed IPs, tags, routes, expiry, the packet
 * filter, SSH policy and user profiles) is what the live server sent at that moment.
 */
final class PastMapClaims {
  /** Per node (the node itself and each peer), from client reports. */
  static final List<String> NODE_FIELDS =
      List.of("DiscoKey", "Endpoints", "HomeDERP", "Hostinfo", "LastSeen", "Online");

  /** Of the whole map, from the configuration as it is today. */
  static final List<String> MAP_FIELDS = List.of("DERPMap", "DNSConfig");

  private PastMapClaims() {}

  /** What {@link #strip} leaves out, as paths into the map. */
  static List<String> notRecorded() {
    List<String> out = new ArrayList<>();
    NODE_FIELDS.forEach(f -> out.add("Node." + f));
    NODE_FIELDS.forEach(f -> out.add("Peers[]." + f));
    out.addAll(MAP_FIELDS);
    return out;
  }

  static JsonNode strip(JsonNode map) {
    if (!(map instanceof ObjectNode m)) {
      return map;
    }
    MAP_FIELDS.forEach(m::remove);
    if (m.get("Node") instanceof ObjectNode self) {
      NODE_FIELDS.forEach(self::remove);
    }
    for (JsonNode peer : m.path("Peers")) {
      if (peer instanceof ObjectNode p) {
        NODE_FIELDS.forEach(p::remove);
      }
    }
    return m;
  }
}
