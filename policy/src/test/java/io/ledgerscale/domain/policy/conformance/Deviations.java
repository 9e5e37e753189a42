// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checked-in list of scenarios known to differ from Tailscale, {@code
 * docs/policy-deviations.md}: one line per scenario, {@code - `scenario-id`: reason}.
 */
final class Deviations {
  private static final Pattern LINE =
      Pattern.compile("^\\s*[-*]\\s+`([^`]+)`\\s*[:\\u2014-]\\s*(.+)$");

  private Deviations() {}

  static Map<String, String> read(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file)) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        out.put(m.group(1), m.group(2).trim());
      }
    }
    return out;
  }
}
