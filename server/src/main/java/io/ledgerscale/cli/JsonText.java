// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * JSON (and YAML) read into and written from Jackson's tree with the streaming parser and generator
 * alone. A CLI call is over in a fraction of a second, and Jackson's {@code ObjectMapper} costs a
 * good part of that before it does anything: its class set-up builds a date format, which reaches
 * for the JDK's locale data. Reading a tree and writing maps, lists and trees needs none of it.
 */
public final class JsonText {
  static final JsonFactory JSON =
      JsonFactory.builder()
          // the same depth bound as the server's; a hostile answer cannot exhaust the stack here
          // either
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(500).build())
          .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonText() {}

  /** The tree of a JSON text; an empty text is an empty object. */
  public static JsonNode parse(String text) throws IOException {
    if (text.isBlank()) {
      return NODES.objectNode();
    }
    try (JsonParser parser = JSON.createParser(text)) {
      return read(parser);
    }
  }

  /**
   * The next value {@code parser} reads, as a tree: without recursion, so nesting is bounded only
   * by the parser's own limit. Null when there is no value at all.
   */
  public static JsonNode read(JsonParser parser) throws IOException {
    Deque<JsonNode> open = new ArrayDeque<>();
    String field = null;
    JsonNode done = null;
    for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
      if (token == JsonToken.FIELD_NAME) {
        field = parser.currentName();
        continue;
      }
      if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
        done = open.pop();
        if (open.isEmpty()) {
          return done;
        }
        continue;
      }
      JsonNode value =
          switch (token) {
            case START_OBJECT -> NODES.objectNode();
            case START_ARRAY -> NODES.arrayNode();
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> integer(parser);
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> NODES.textNode(parser.getText());
          };
      JsonNode parent = open.peek();
      if (parent instanceof ObjectNode object) {
        object.set(field, value);
      } else if (parent instanceof ArrayNode array) {
        array.add(value);
      }
      if (value.isContainerNode()) {
        open.push(value);
      } else if (parent == null) {
        return value;
      }
    }
    return done;
  }

  private static JsonNode integer(JsonParser parser) throws IOException {
    return switch (parser.getNumberType()) {
      case INT -> NODES.numberNode(parser.getIntValue());
      case LONG -> NODES.numberNode(parser.getLongValue());
      default -> NODES.numberNode(parser.getBigIntegerValue());
    };
  }

  /** {@code value} (a tree, a map, a list or a plain value) as compact JSON. */
  public static byte[] bytes(Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      write(generator, value);
    }
    return out.toByteArray();
  }

  /** Writes {@code value}: a tree, a map with text keys, an iterable, text, number or boolean. */
  public static void write(JsonGenerator generator, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof JsonNode node) {
      writeNode(generator, node);
    } else if (value instanceof Map<?, ?> map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        generator.writeFieldName(String.valueOf(entry.getKey()));
        write(generator, entry.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof Iterable<?> items) {
      generator.writeStartArray();
      for (Object item : items) {
        write(generator, item);
      }
      generator.writeEndArray();
    } else if (value instanceof Boolean b) {
      generator.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      generator.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      generator.writeNumber(big);
    } else if (value instanceof BigDecimal decimal) {
      generator.writeNumber(decimal);
    } else if (value instanceof Number number) {
      generator.writeNumber(number.doubleValue());
    } else {
      generator.writeString(value.toString());
    }
  }

  private static void writeNode(JsonGenerator generator, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        generator.writeStartObject();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          generator.writeFieldName(field.getKey());
          writeNode(generator, field.getValue());
        }
        generator.writeEndObject();
      }
      case ARRAY -> {
        generator.writeStartArray();
        for (JsonNode item : node) {
          writeNode(generator, item);
        }
        generator.writeEndArray();
      }
      case STRING -> generator.writeString(node.textValue());
      case BOOLEAN -> generator.writeBoolean(node.booleanValue());
      case NUMBER -> {
        if (node.isIntegralNumber()) {
          generator.writeNumber(node.bigIntegerValue());
        } else if (node.isBigDecimal()) {
          generator.writeNumber(node.decimalValue());
        } else {
          generator.writeNumber(node.doubleValue());
        }
      }
      case BINARY -> generator.writeBinary(node.binaryValue());
      default -> generator.writeNull();
    }
  }
}
