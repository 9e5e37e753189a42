// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The e2e policies (src/test/resources/e2e/*.hujson) as files the CLI's {@code policy set -f} can
 * read.
 */
final class TailnetPolicy {
  private TailnetPolicy() {}

  /** The allow-all policy most e2e tests run under. */
  static Path file() throws IOException {
    return file("policy.hujson", Map.of());
  }

  /**
   * {@code resource} with each {@code ${NAME}} replaced by its value (ports are only known at run
   * time).
   */
  static Path file(String resource, Map<String, String> values) throws IOException {
    String text;
    try (InputStream in = TailnetPolicy.class.getResourceAsStream("/e2e/" + resource)) {
      if (in == null) {
        throw new IOException("no resource e2e/" + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, String> v : values.entrySet()) {
      text = text.replace("${" + v.getKey() + "}", v.getValue());
    }
    if (text.contains("${")) {
      throw new IOException("e2e/" + resource + " has a placeholder without a value: " + text);
    }
    Path file = Files.createTempFile("e2e-policy", ".hujson");
    Files.writeString(file, text);
    file.toFile().deleteOnExit();
    return file;
  }
}
