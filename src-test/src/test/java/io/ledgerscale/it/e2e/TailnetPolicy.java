// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The e2e policy (src/test/resources/e2e/policy.hujson) as a file the CLI's {@code policy set -f} can read. */
final class TailnetPolicy {
  private TailnetPolicy() {}

  static Path file() throws IOException {
    Path file = Files.createTempFile("e2e-policy", ".hujson");
    try (InputStream in = TailnetPolicy.class.getResourceAsStream("/e2e/policy.hujson")) {
      Files.write(file, in.readAllBytes());
    }
    file.toFile().deleteOnExit();
    return file;
  }
}
