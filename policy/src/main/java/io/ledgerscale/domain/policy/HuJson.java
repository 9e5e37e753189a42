// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads HuJSON (JSON with comments and trailing commas) into a small tree that remembers where each
 * value started, so a refusal can point at the line and column of the offending entry. Duplicate
 * keys are refused.
 */
public final class HuJson {
  /**
   * Honest policies nest a handful of levels (app capability values a few more). The bound keeps
   * the recursive readers of the tree shallow, and an app capability value, which is written back
   * into map responses inside several more levels, well below Jackson's own write limit.
   */
  static final int MAX_NESTING_DEPTH = 64;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
          .build();

  private HuJson() {}

  /** A parsed value and where it starts. */
  public sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {
    int line();

    int column();

    default String kind() {
      if (this instanceof Obj) {
        return "object";
      }
      if (this instanceof Arr) {
        return "array";
      }
      if (this instanceof Str) {
        return "string";
      }
      if (this instanceof Num) {
        return "number";
      }
      return this instanceof Bool ? "boolean" : "null";
    }
  }

  /** An object member; the key position is the member's position. */
  public record Member(String key, int line, int column, Value value) {}

  public record Obj(Map<String, Member> members, int line, int column) implements Value {
    public Value get(String key) {
      Member m = members.get(key);
      return m == null ? null : m.value();
    }
  }

  public record Arr(List<Value> items, int line, int column) implements Value {}

  public record Str(String value, int line, int column) implements Value {}

  public record Num(String text, int line, int column) implements Value {}

  public record Bool(boolean value, int line, int column) implements Value {}

  public record Null(int line, int column) implements Value {}

  public static Value parse(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      try {
        JsonToken t = p.nextToken();
        if (t == null) {
          throw new PolicyException("policy is empty", 1, 1);
        }
        Value v = read(p, t);
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
          JsonLocation l = p.currentTokenLocation();
          throw PolicyException.syntax(
              "unexpected content after the policy object", l.getLineNr(), l.getColumnNr());
        }
        return v;
      } catch (JsonProcessingException e) {
        // a broken limit (nesting, number or string length) carries no location of its own: the
        // parser is still where it stopped
        JsonLocation l = e.getLocation() != null ? e.getLocation() : p.currentLocation();
        throw PolicyException.syntax(
            SyntaxReasons.of(e), Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
      }
    } catch (IOException e) {
      throw PolicyException.syntax("the policy could not be read", 0, 0);
    }
  }

  private static Value read(JsonParser p, JsonToken t) throws IOException {
    JsonLocation l = p.currentTokenLocation();
    int line = l.getLineNr();
    int col = l.getColumnNr();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Member> members = new LinkedHashMap<>();
        JsonToken n;
        while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
          JsonLocation kl = p.currentTokenLocation();
          String key = p.currentName();
          Value v = read(p, p.nextToken());
          members.put(key, new Member(key, kl.getLineNr(), kl.getColumnNr(), v));
        }
        return new Obj(Collections.unmodifiableMap(members), line, col);
      }
      case START_ARRAY -> {
        List<Value> items = new ArrayList<>();
        JsonToken n;
        while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
          items.add(read(p, n));
        }
        return new Arr(List.copyOf(items), line, col);
      }
      case VALUE_STRING -> {
        return new Str(p.getText(), line, col);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new Num(p.getText(), line, col);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new Bool(t == JsonToken.VALUE_TRUE, line, col);
      }
      case VALUE_NULL -> {
        return new Null(line, col);
      }
      default -> throw new PolicyException("unexpected token " + t, line, col);
    }
  }
}
