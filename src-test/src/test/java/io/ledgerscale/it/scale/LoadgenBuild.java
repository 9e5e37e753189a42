// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.scale;

import io.ledgerscale.it.e2e.support.GoToolBuild;
import java.nio.file.Path;

/** The load generator from tools/loadgen, built (or found up to date) by its build.sh. */
final class LoadgenBuild {
  private LoadgenBuild() {}

  static Path binary() {
    return GoToolBuild.output("tools/loadgen/build.sh");
  }
}
