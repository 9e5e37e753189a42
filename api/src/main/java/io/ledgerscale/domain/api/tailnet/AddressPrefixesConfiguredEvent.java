// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/**
 * New nodes get addresses from these prefixes from now on, handed out {@code sequential} or {@code
 * random}.
 */
@Revision("1")
public record AddressPrefixesConfiguredEvent(
    String ipv4Prefix, String ipv6Prefix, String allocation) {}
