// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

/**
 * A Noise peer sent something we must not accept. The connection it arrived on is closed; nothing
 * else changes. {@link #clientHint()} is set only for the handshake refusals Tailscale's own server
 * answers with an (unauthenticated) error message, and never echoes client input.
 */
public class NoiseException extends Exception {
  private final String clientHint;

  public NoiseException(String message) {
    this(message, null);
  }

  public NoiseException(String message, String clientHint) {
    super(message, null, false, false);
    this.clientHint = clientHint;
  }

  public String clientHint() {
    return clientHint;
  }
}
