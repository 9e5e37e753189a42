// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.time.Instant;

/** Expires a node now (expiry null), at a time, or disables its expiry. */
public record ExpireNodeCommand(long nodeId, Instant expiry, boolean disableExpiry) {}
