// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Startup stopped because the issuer could not be reached: say so in two lines, not a stack trace.
 */
public class OidcUnavailableFailureAnalyzer
    extends AbstractFailureAnalyzer<OidcUnavailableException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, OidcUnavailableException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Check oidc.issuer and that the identity provider is reachable from this server, or set"
            + " oidc.only_start_if_oidc_is_available: false to start without it (OIDC logins then fail until"
            + " it answers).",
        cause);
  }
}
