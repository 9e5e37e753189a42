// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

/**
 * Sets where new nodes get their addresses (Headscale's {@code prefixes.v4}, {@code prefixes.v6},
 * {@code prefixes.allocation}: {@code sequential} or {@code random}). Both prefixes must lie inside
 * Tailscale's ranges (100.64.0.0/10 and fd7a:115c:a1e0::/48). Nodes keep the addresses they have.
 * Answers whether anything changed.
 */
public record ConfigureAddressPrefixesCommand(
    String ipv4Prefix, String ipv6Prefix, String allocation) {}
