// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

/** Tailscale capability versions the server cares about. */
public final class CapabilityVersion {
  /** Tailscale v1.80, Headscale's minimum (it supports the latest ten minor releases). */
  public static final int MINIMUM_SUPPORTED = 113;

  /** From here the client honours 429 with Retry-After on /machine/register. */
  public static final int REGISTER_RATE_LIMIT = 137;

  private CapabilityVersion() {}
}
