// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ledgerscale.cli.ApiCommand;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;

/** {@code version}: this program's version; needs no server. */
@Command(name = "version", description = "Print the version.")
public class VersionCommand extends ApiCommand {
  static final String POM_PROPERTIES =
      "/META-INF/maven/io.ledgerscale/ledgerscale-server/pom.properties";

  @Override
  protected int execute() {
    String version = version();
    output()
        .result(
            JsonNodeFactory.instance.objectNode().put("version", version),
            "ledgerscale " + version);
    return 0;
  }

  /** From the jar's Maven metadata; a build straight from the sources has none and says "dev". */
  static String version() {
    try (InputStream in = VersionCommand.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "dev");
      }
    } catch (IOException e) {
      // fall through to "dev"
    }
    String manifest = VersionCommand.class.getPackage().getImplementationVersion();
    return manifest != null ? manifest : "dev";
  }
}
