// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks an {@code app} object (capability name to a list of JSON object values), as
 * Tailscale does.
 */
final class AppCapabilities {
  /** The tailscale.com capabilities a policy may grant; the rest are the control plane's own. */
  private static final Set<String> GRANTABLE_TAILSCALE_CAPS =
      Set.of(
          "tailscale.com/cap/drive",
          "tailscale.com/cap/relay",
          "tailscale.com/cap/webui",
          "tailscale.com/cap/kubernetes",
          "tailscale.com/cap/tsidp",
          "tailscale.com/cap/secrets");

  private AppCapabilities() {}

  /**
   * Grant capabilities: {@code {domain}/{path}}, not in tailscale.com unless grantable, values JSON
   * objects.
   */
  static Map<String, List<JsonNode>> parseGrant(HuJson.Value value, String where) {
    return parse(value, where, true);
  }

  /** nodeAttrs capabilities: same value shape; the name only needs to be non-blank. */
  static Map<String, List<JsonNode>> parseNodeAttr(HuJson.Value value, String where) {
    return parse(value, where, false);
  }

  private static Map<String, List<JsonNode>> parse(
      HuJson.Value value, String where, boolean grant) {
    if (!(value instanceof HuJson.Obj obj)) {
      throw PolicyException.structure(where + " must be an object, not " + value.kind(), value);
    }
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    for (HuJson.Member m : obj.members().values()) {
      String name = m.key();
      if (grant) {
        checkGrantName(name, m);
      } else if (name.isBlank()) {
        throw new PolicyException(
            where + ": capability name must not be empty", m.line(), m.column());
      }
      if (!(m.value() instanceof HuJson.Arr arr)) {
        throw PolicyException.structure(
            where + "[\"" + name + "\"] must be an array of JSON objects, not " + m.value().kind(),
            m.value());
      }
      List<JsonNode> values = new ArrayList<>();
      for (HuJson.Value v : arr.items()) {
        if (!(v instanceof HuJson.Obj)) {
          throw PolicyException.structure(
              where + "[\"" + name + "\"]: each value must be a JSON object, not " + v.kind(), v);
        }
        values.add(toJson(v));
      }
      out.put(name, Collections.unmodifiableList(values));
    }
    return Collections.unmodifiableMap(out);
  }

  private static void checkGrantName(String name, HuJson.Member at) {
    int slash = name.indexOf('/');
    boolean form =
        !name.contains("://")
            && slash > 0
            && slash < name.length() - 1
            && name.chars().noneMatch(Character::isWhitespace);
    if (!form) {
      throw new PolicyException(
          "capability name must have the form {domain}/{path}", at.line(), at.column());
    }
    if (name.startsWith("tailscale.com/") && !GRANTABLE_TAILSCALE_CAPS.contains(name)) {
      throw new PolicyException(
          "capability name must not be in the tailscale.com domain", at.line(), at.column());
    }
  }

  /** The HuJSON value as plain JSON, for the wire. */
  static JsonNode toJson(HuJson.Value v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v instanceof HuJson.Obj o) {
      var node = f.objectNode();
      o.members().values().forEach(m -> node.set(m.key(), toJson(m.value())));
      return node;
    }
    if (v instanceof HuJson.Arr a) {
      var node = f.arrayNode();
      a.items().forEach(i -> node.add(toJson(i)));
      return node;
    }
    if (v instanceof HuJson.Str s) {
      return f.textNode(s.value());
    }
    if (v instanceof HuJson.Num n) {
      String t = n.text();
      if (t.contains(".") || t.contains("e") || t.contains("E")) {
        return f.numberNode(new BigDecimal(t));
      }
      BigInteger i = new BigInteger(t);
      // the narrowest node, as a JSON reader would build it, so equal JSON compares equal
      if (i.bitLength() < 32) {
        return f.numberNode(i.intValue());
      }
      return i.bitLength() < 64 ? f.numberNode(i.longValue()) : f.numberNode(i);
    }
    if (v instanceof HuJson.Bool b) {
      return f.booleanNode(b.value());
    }
    return f.nullNode();
  }
}
