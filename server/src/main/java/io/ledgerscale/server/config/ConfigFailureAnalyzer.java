// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a configuration mistake into Spring Boot's short "APPLICATION FAILED TO START" report, not
 * a stack trace.
 */
public class ConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Fix the setting in the config file (ledgerscale serve -c FILE, LEDGERSCALE_CONFIG or ./config.yaml) or the"
            + " LEDGERSCALE_* environment variable that overrides it.",
        cause);
  }
}
