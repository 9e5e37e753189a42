// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.util.List;

/** The answer to a successful registration. */
public record NodeRegistration(
    long nodeId, Long userId, List<String> tags, String ipv4, String ipv6, String givenName) {}
