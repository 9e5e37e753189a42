// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * A node's network map at a past moment: the tailcfg.MapResponse as JSON (the gateway's types stay
 * in the gateway), and how many recorded events it was rebuilt from.
 */
public record NetworkMapAtView(long nodeId, Instant at, long events, String mapResponseJson) {}
