// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;
import java.util.List;

/**
 * A node's network map at a past moment: the tailcfg.MapResponse as JSON (the gateway's types stay
 * in the gateway), how many recorded events it was rebuilt from, and the fields a live map has that
 * this one leaves out because no event records them (paths such as {@code Peers[].Online}).
 */
public record NetworkMapAtView(
    long nodeId, Instant at, long events, String mapResponseJson, List<String> notRecorded) {}
