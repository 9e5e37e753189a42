// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.config;

import io.ledgerscale.gateway.limits.ResourceLimits;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;

/**
 * Undertow's own timeouts on the public listener, which has none by default: a client that sends a
 * request head slowly (slowloris) or opens a connection and says nothing holds an fd for as long as
 * it likes. Set on the builder Spring Boot's factory creates its listeners from, so they apply to
 * every listener it opens (plain and TLS). An upgraded /ts2021 connection is then governed by the
 * Noise session timeouts, plus the idle timeout here as an outer bound on silence.
 */
final class ListenerTimeouts {
  private ListenerTimeouts() {}

  static void apply(Undertow.Builder builder, ResourceLimits limits) {
    builder
        .setServerOption(
            UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(limits.requestHeaderTimeout()))
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(limits.noRequestTimeout()))
        .setServerOption(UndertowOptions.IDLE_TIMEOUT, millis(limits.connectionIdleTimeout()));
  }

  private static int millis(java.time.Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }
}
