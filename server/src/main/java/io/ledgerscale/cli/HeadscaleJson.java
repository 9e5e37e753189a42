// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * Reshapes the REST answer into what Headscale's CLI prints with {@code -o json}: it marshals its
 * protobuf structs with Go's encoding/json, so names are snake_case, empty fields are left out, ids
 * are numbers, timestamps are {"seconds":…,"nanos":…} and the register method is its enum number.
 * Scripts written against Headscale keep working.
 */
final class HeadscaleJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> TIMESTAMPS =
      Set.of("created_at", "expiration", "expiry", "last_seen", "updated_at");
  private static final Map<String, Integer> REGISTER_METHODS =
      Map.of(
          "REGISTER_METHOD_UNSPECIFIED",
          0,
          "REGISTER_METHOD_AUTH_KEY",
          1,
          "REGISTER_METHOD_CLI",
          2,
          "REGISTER_METHOD_OIDC",
          3);

  private HeadscaleJson() {}

  static JsonNode of(JsonNode rest) {
    JsonNode converted = convert(null, rest);
    return converted == null ? NODES.objectNode() : converted;
  }

  private static JsonNode convert(String key, JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isObject()) {
      ObjectNode object = NODES.objectNode();
      value
          .fields()
          .forEachRemaining(
              field -> {
                String name = snake(field.getKey());
                JsonNode converted = convert(name, field.getValue());
                if (converted != null) {
                  object.set(name, converted);
                }
              });
      return object.isEmpty() && key != null ? null : object;
    }
    if (value.isArray()) {
      ArrayNode array = NODES.arrayNode();
      value.forEach(
          element -> {
            JsonNode converted = convert(null, element);
            array.add(converted == null ? NODES.objectNode() : converted);
          });
      return array.isEmpty() && key != null ? null : array;
    }
    if (value.isTextual()) {
      String text = value.asText();
      if (text.isEmpty()) {
        return null;
      }
      if ("id".equals(key) && text.chars().allMatch(Character::isDigit) && text.length() < 20) {
        return NODES.numberNode(Long.parseUnsignedLong(text));
      }
      if ("register_method".equals(key) && REGISTER_METHODS.containsKey(text)) {
        int method = REGISTER_METHODS.get(text);
        return method == 0 ? null : NODES.numberNode(method);
      }
      if (key != null && TIMESTAMPS.contains(key)) {
        return timestamp(text, value);
      }
      return value;
    }
    if (value.isBoolean()) {
      return value.asBoolean() ? value : null;
    }
    if (value.isNumber()) {
      return value.asDouble() == 0 && key != null ? null : value;
    }
    return value;
  }

  private static JsonNode timestamp(String text, JsonNode original) {
    try {
      Instant instant = Instant.parse(text);
      ObjectNode ts = NODES.objectNode();
      ts.put("seconds", instant.getEpochSecond());
      if (instant.getNano() != 0) {
        ts.put("nanos", instant.getNano());
      }
      return ts;
    } catch (DateTimeParseException e) {
      return original;
    }
  }

  static String snake(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c) && out.length() > 0) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(Character.toLowerCase(c));
      }
    }
    return out.toString();
  }
}
