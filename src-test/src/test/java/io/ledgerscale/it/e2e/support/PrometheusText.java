// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The samples of a Prometheus text exposition (format 0.0.4): one {@code name{labels} value
 * [timestamp]} a line, {@code #} lines being help and type. Written for the test, so a scrape is
 * read as a Prometheus server would read it, not through the library that wrote it.
 */
public final class PrometheusText {
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      samples.add(sample(line));
    }
    return new PrometheusText(samples);
  }

  public List<Sample> samples() {
    return samples;
  }

  public List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The one sample of {@code name} whose labels include {@code labels} (name, value, ...). */
  public Optional<Sample> find(String name, String... labels) {
    List<Sample> found =
        named(name).stream()
            .filter(
                s -> {
                  for (int i = 0; i < labels.length; i += 2) {
                    if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                      return false;
                    }
                  }
                  return true;
                })
            .toList();
    if (found.size() > 1) {
      throw new AssertionError("more than one " + name + " " + List.of(labels) + ": " + found);
    }
    return found.stream().findFirst();
  }

  /** The value of the one sample {@link #find} finds; fails if there is none. */
  public double value(String name, String... labels) {
    return find(name, labels)
        .orElseThrow(() -> new AssertionError("no sample " + name + " " + List.of(labels)))
        .value();
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    int rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      rest = labels(line, brace + 1, labels);
    } else {
      name = line.substring(0, space);
      rest = space;
    }
    String[] fields = line.substring(rest).trim().split(" ");
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*") || fields.length < 1 || fields.length > 2) {
      throw new AssertionError("not a sample line: " + line);
    }
    return new Sample(name, labels, number(fields[0]));
  }

  /** Reads {@code a="x",b="y"} up to the closing brace; answers the index after it. */
  private static int labels(String line, int i, Map<String, String> into) {
    while (line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String label = line.substring(i, eq);
      if (line.charAt(eq + 1) != '"') {
        throw new AssertionError("unquoted label value: " + line);
      }
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\') {
          char e = line.charAt(++j);
          value.append(e == 'n' ? '\n' : e);
        } else {
          value.append(c);
        }
      }
      into.put(label, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }

  private static double number(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
