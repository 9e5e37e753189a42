// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot application: boot wiring (server), read side (projections), the Tailscale-facing
 * gateway and the admin API. The CLI package is not scanned; it talks to a running server instead
 * of being part of it.
 */
@SpringBootApplication(
    scanBasePackages = {
      "io.ledgerscale.server",
      "io.ledgerscale.projections",
      "io.ledgerscale.gateway",
      "io.ledgerscale.admin"
    })
public class LedgerscaleApplication {
  static {
    vendorNoticesOff();
  }

  /**
   * Axon's usage reporting phones home, which a self-hosted control server must not; and Axon
   * advertises its console in a banner at every start unless told not to. Both read system
   * properties, the console's before this class is first used, so the entry point calls this before
   * Spring starts.
   */
  static void vendorNoticesOff() {
    if (System.getProperty("axoniq.update-checker.disabled") == null) {
      System.setProperty("axoniq.update-checker.disabled", "true");
    }
    if (System.getProperty("disable-axoniq-console-message") == null) {
      System.setProperty("disable-axoniq-console-message", "true");
    }
  }
}
