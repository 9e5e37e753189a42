// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Prints results as Headscale's CLI does: a table or a line of text by default, or json, json-line
 * or yaml.
 */
public final class Output {
  static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** Made on first use: most calls print a table or a line. */
  private static final class Printers {
    static final YAMLFactory YAML =
        YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();
    // Go's json.MarshalIndent(v, "", "\t")
    static final DefaultPrettyPrinter GO_INDENT =
        new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("\t", "\n"))
            .withArrayIndenter(new DefaultIndenter("\t", "\n"));
  }

  public enum Format {
    TABLE,
    JSON,
    JSON_LINE,
    YAML
  }

  private final Format format;
  private final PrintStream out;
  private final PrintStream err;

  Output(String format, PrintStream out, PrintStream err) {
    this.format = parse(format);
    this.out = out;
    this.err = err;
  }

  public boolean machineReadable() {
    return format != Format.TABLE;
  }

  /**
   * One result: its text in the default format, the REST answer reshaped Headscale's way otherwise.
   */
  public void result(JsonNode rest, String text) {
    if (machineReadable()) {
      out.println(serialize(HeadscaleJson.of(rest)));
    } else {
      out.println(text);
    }
  }

  public void list(JsonNode rest, Supplier<Table> table) {
    if (machineReadable()) {
      out.println(serialize(HeadscaleJson.of(rest)));
    } else {
      out.print(table.get().render());
    }
  }

  public void text(String text) {
    out.println(text);
  }

  public void error(String message) {
    if (machineReadable()) {
      err.println(serialize(JsonNodeFactory.instance.objectNode().put("error", message)));
    } else {
      err.println("Error: " + message);
    }
  }

  public void warn(String message) {
    err.println(message);
  }

  public void flush() {
    out.flush();
  }

  private String serialize(JsonNode node) {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator =
        format == Format.YAML
            ? Printers.YAML.createGenerator(text)
            : JsonText.JSON.createGenerator(text)) {
      if (format == Format.JSON) {
        generator.setPrettyPrinter(new DefaultPrettyPrinter(Printers.GO_INDENT));
      }
      JsonText.write(generator, node);
    } catch (IOException e) {
      throw new CliException("cannot print the result: " + e.getMessage(), e);
    }
    return format == Format.YAML ? text.toString().stripTrailing() : text.toString();
  }

  /** A one-field object, for results that are only a message. */
  public static JsonNode message(String field, String text) {
    return JsonNodeFactory.instance.objectNode().put(field, text);
  }

  /** The texts of a JSON array, comma-separated, for a table cell. */
  public static String joined(JsonNode values) {
    List<String> texts = new ArrayList<>();
    values.forEach(value -> texts.add(value.asText()));
    return String.join(", ", texts);
  }

  public static String time(JsonNode timestamp) {
    if (timestamp == null || !timestamp.isTextual() || timestamp.asText().isEmpty()) {
      return "";
    }
    return DATE_TIME.format(Instant.parse(timestamp.asText()));
  }

  private static Format parse(String format) {
    String f = format == null ? "" : format.trim().toLowerCase(Locale.ROOT);
    return switch (f) {
      case "", "table" -> Format.TABLE;
      case "json" -> Format.JSON;
      case "json-line" -> Format.JSON_LINE;
      case "yaml" -> Format.YAML;
      default ->
          throw new CliException(
              "unknown output format \"" + format + "\" (table, json, json-line, yaml)");
    };
  }
}
