// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.Hostnames;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.gateway.tailcfg.Hostinfo;
import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.RegisterRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bounds of what a node sends on the Noise API (RegisterRequest, MapRequest, Hostinfo,
 * endpoints), checked before anything is dispatched or stored: a request outside them gets a 400
 * and changes nothing. Hostinfo.Hostname is never a reason to refuse: it is made into a DNS label
 * ({@link Hostnames}), as Tailscale does. docs/limits.md lists these bounds.
 */
final class ClientBounds {
  /** The most a stored Hostinfo may take, as the compact JSON we store. */
  static final int HOSTINFO_MAX_BYTES = 64 * 1024;

  /** Any string inside a Hostinfo (OS, OSVersion, Distro, DeviceModel, ...) and any key. */
  static final int HOSTINFO_STRING_MAX = 1024;

  /** Endpoints (and EndpointTypes) one MapRequest may report. */
  static final int ENDPOINTS_MAX = 128;

  /** Short protocol strings: OldNodeKey, NLKey, DiscoKey, Tailnet, MapSessionHandle, DebugFlags. */
  static final int SHORT_TEXT_MAX = 256;

  /** Longer protocol strings: Followup (an AuthURL), NodeKeySignature. */
  static final int LONG_TEXT_MAX = 4096;

  /** A routable prefix as text ("2001:db8::/32"). */
  static final int PREFIX_TEXT_MAX = 64;

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  private ClientBounds() {}

  /** The hostname a registration carries: the client's, made into a DNS label (may be empty). */
  static String hostname(RegisterRequest req) {
    return req.hostinfo() == null ? "" : Hostnames.sanitise(req.hostinfo().hostname());
  }

  static Optional<BoundViolation> register(RegisterRequest req) {
    Optional<BoundViolation> top =
        InputBounds.first(
            InputBounds.text("OldNodeKey", req.oldNodeKey(), SHORT_TEXT_MAX),
            InputBounds.text("NLKey", req.nlKey(), SHORT_TEXT_MAX),
            InputBounds.text("Expiry", req.expiry(), SHORT_TEXT_MAX),
            InputBounds.text("Followup", req.followup(), LONG_TEXT_MAX),
            InputBounds.text("NodeKeySignature", req.nodeKeySignature(), LONG_TEXT_MAX),
            InputBounds.text("Tailnet", req.tailnet(), SHORT_TEXT_MAX),
            InputBounds.keyText("Auth.AuthKey", req.auth() == null ? null : authKey(req)));
    if (top.isPresent() || req.hostinfo() == null) {
      return top;
    }
    Hostinfo hi = req.hostinfo();
    return InputBounds.first(
        InputBounds.text("Hostinfo.IPNVersion", hi.ipnVersion(), HOSTINFO_STRING_MAX),
        InputBounds.text("Hostinfo.FrontendLogID", hi.frontendLogId(), HOSTINFO_STRING_MAX),
        InputBounds.text("Hostinfo.BackendLogID", hi.backendLogId(), HOSTINFO_STRING_MAX),
        InputBounds.text("Hostinfo.OS", hi.os(), HOSTINFO_STRING_MAX),
        InputBounds.text("Hostinfo.OSVersion", hi.osVersion(), HOSTINFO_STRING_MAX),
        InputBounds.text("Hostinfo.GoArch", hi.goArch(), HOSTINFO_STRING_MAX),
        InputBounds.tags("Hostinfo.RequestTags", hi.requestTags()),
        routes(hi.routableIps()));
  }

  /** The AuthKey as the domain gets it (trimmed): blank means none. */
  private static String authKey(RegisterRequest req) {
    String key = req.auth().authKey();
    return key == null ? null : key.trim();
  }

  /**
   * Checks a MapRequest. Its Hostinfo is stored and shown to peers as sent, so it is bounded as a
   * whole (size, every string and key in it) and its Hostname is made into a DNS label in place.
   */
  static Optional<BoundViolation> map(MapRequest req) {
    Optional<BoundViolation> top =
        InputBounds.first(
            InputBounds.text("DiscoKey", req.discoKey(), SHORT_TEXT_MAX),
            InputBounds.text("MapSessionHandle", req.mapSessionHandle(), SHORT_TEXT_MAX),
            endpoints(req.endpoints()),
            req.endpointTypes() != null && req.endpointTypes().size() > ENDPOINTS_MAX
                ? violation("EndpointTypes", "at most " + ENDPOINTS_MAX + " entries")
                : Optional.empty(),
            strings("DebugFlags", req.debugFlags(), InputBounds.TAGS_MAX, SHORT_TEXT_MAX));
    if (top.isPresent()) {
      return top;
    }
    return hostinfo(req.hostinfo());
  }

  private static Optional<BoundViolation> hostinfo(JsonNode hi) {
    if (hi == null || hi.isNull() || hi.isMissingNode()) {
      return Optional.empty();
    }
    if (!hi.isObject()) {
      return violation("Hostinfo", "a JSON object");
    }
    JsonNode hostname = hi.get("Hostname");
    if (hostname != null && !hostname.isNull()) {
      ((ObjectNode) hi).put("Hostname", Hostnames.sanitise(hostname.asText()));
    }
    Optional<BoundViolation> inside = everyString("Hostinfo", hi);
    if (inside.isPresent()) {
      return inside;
    }
    JsonNode tags = hi.get("RequestTags");
    if (tags != null && !tags.isNull()) {
      Optional<BoundViolation> bad = InputBounds.tags("Hostinfo.RequestTags", texts(tags));
      if (bad.isPresent()) {
        return bad;
      }
    }
    JsonNode routes = hi.get("RoutableIPs");
    if (routes != null && !routes.isNull()) {
      Optional<BoundViolation> bad = routes(texts(routes));
      if (bad.isPresent()) {
        return bad;
      }
    }
    // a JsonNode's toString is its compact JSON, what the connectivity store keeps
    int size = hi.toString().getBytes(StandardCharsets.UTF_8).length;
    if (size > HOSTINFO_MAX_BYTES) {
      return violation(
          "Hostinfo", "at most " + HOSTINFO_MAX_BYTES + " bytes of JSON (got " + size + ")");
    }
    return Optional.empty();
  }

  /** Every string value and every key under {@code node}: bounded, no control characters. */
  private static Optional<BoundViolation> everyString(String path, JsonNode node) {
    if (node.isTextual()) {
      return InputBounds.text(path, node.textValue(), HOSTINFO_STRING_MAX);
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        Optional<BoundViolation> key =
            InputBounds.text(path + " key", field.getKey(), SHORT_TEXT_MAX);
        if (key.isPresent()) {
          return key;
        }
        Optional<BoundViolation> value = everyString(path + "." + field.getKey(), field.getValue());
        if (value.isPresent()) {
          return value;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        Optional<BoundViolation> value = everyString(path + "[]", element);
        if (value.isPresent()) {
          return value;
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> texts(JsonNode array) {
    if (!array.isArray()) {
      return List.of(array.asText());
    }
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    array.forEach(e -> out.add(e.isTextual() ? e.textValue() : e.toString()));
    return out;
  }

  private static Optional<BoundViolation> routes(List<String> routes) {
    return strings("Hostinfo.RoutableIPs", routes, InputBounds.ROUTES_MAX, PREFIX_TEXT_MAX);
  }

  private static Optional<BoundViolation> strings(
      String field, List<String> values, int maxCount, int maxLength) {
    if (values == null) {
      return Optional.empty();
    }
    if (values.size() > maxCount) {
      return violation(field, "at most " + maxCount + " entries (got " + values.size() + ")");
    }
    for (String value : values) {
      Optional<BoundViolation> bad = InputBounds.text(field + "[]", value, maxLength);
      if (bad.isPresent()) {
        return bad;
      }
    }
    return Optional.empty();
  }

  private static Optional<BoundViolation> endpoints(List<String> endpoints) {
    if (endpoints == null) {
      return Optional.empty();
    }
    if (endpoints.size() > ENDPOINTS_MAX) {
      return violation(
          "Endpoints", "at most " + ENDPOINTS_MAX + " entries (got " + endpoints.size() + ")");
    }
    for (String endpoint : endpoints) {
      if (!isIpPort(endpoint)) {
        return violation("Endpoints", "each an ip:port, IPv6 in brackets ([::1]:41641)");
      }
    }
    return Optional.empty();
  }

  /** A literal ip:port; never resolves a name. */
  static boolean isIpPort(String endpoint) {
    if (endpoint == null || endpoint.length() > 64) {
      return false;
    }
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0 || !PORT.matcher(endpoint.substring(colon + 1)).matches()) {
      return false;
    }
    if (Integer.parseInt(endpoint.substring(colon + 1)) > 65535) {
      return false;
    }
    String host = endpoint.substring(0, colon);
    if (IPV4.matcher(host).matches()) {
      return true;
    }
    if (host.length() < 4 || host.charAt(0) != '[' || host.charAt(host.length() - 1) != ']') {
      return false;
    }
    String inner = host.substring(1, host.length() - 1);
    if (!IPV6_CHARS.matcher(inner).matches() || inner.indexOf(':') < 0) {
      return false;
    }
    try {
      // brackets make this a literal: an invalid one is refused without any lookup
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static Optional<BoundViolation> violation(String field, String rule) {
    return Optional.of(new BoundViolation(field, rule));
  }
}
