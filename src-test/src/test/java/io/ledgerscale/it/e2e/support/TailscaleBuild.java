// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * tailscaled, tailscale and derper from the tailscale.com Go module at a pinned version, built (and
 * cached in .tools/) by tools/tailscale/build.sh.
 */
public final class TailscaleBuild {
  public static final String NEWEST = "v1.102.5";

  /** Capability version 113, the oldest client line Headscale supports. */
  public static final String OLDEST = "v1.80.3";

  private TailscaleBuild() {}

  public static Path binaries(String version) {
    Path dir = GoToolBuild.output("tools/tailscale/build.sh", version);
    for (String exe : List.of("tailscaled", "tailscale", "derper")) {
      if (!Files.isExecutable(dir.resolve(exe))) {
        throw new IllegalStateException(exe + " missing in " + dir);
      }
    }
    return dir;
  }
}
