// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.connectivity;

import java.time.Instant;
import java.util.List;

/**
 * One report from a client's map request. A null field means "not reported this time" and keeps the
 * stored value; a zero or null disco key never replaces a known one.
 */
public record ConnectivityReport(
    long nodeId,
    List<String> endpoints,
    String discoKey,
    Integer homeDerp,
    String hostinfo,
    String instanceId,
    Instant at) {}
