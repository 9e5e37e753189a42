// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import java.util.Map;

/**
 * JSON for the jsonb columns of the views; one mapper so lists and value maps read back the way
 * they were written.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {};

  private Json() {}

  /** JSON text a jsonb column accepts (see {@link Text#storableJson}). */
  public static String write(Object value) {
    try {
      return Text.storableJson(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON for " + value.getClass().getName(), e);
    }
  }

  /** A list column; null and absent lists both read as empty so views never carry null lists. */
  public static String writeList(List<String> values) {
    return write(values == null ? List.of() : values);
  }

  public static List<String> readList(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return List.copyOf(MAPPER.readValue(json, STRINGS));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON list in a view table: " + json, e);
    }
  }

  public static Map<String, Object> readMap(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return MAPPER.readValue(json, OBJECT_MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON object in a view table: " + json, e);
    }
  }

  /** An event payload as a map of its fields, for the audit trail's generic description. */
  public static Map<String, Object> toMap(Object payload) {
    return MAPPER.convertValue(payload, OBJECT_MAP);
  }
}
