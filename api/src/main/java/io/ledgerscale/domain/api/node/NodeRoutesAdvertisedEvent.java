// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.util.List;
import org.axonframework.serialization.Revision;

/** The set of routes a node announces changed (they are served only once approved). */
@Revision("1")
public record NodeRoutesAdvertisedEvent(
    long nodeId, List<String> oldRoutes, List<String> newRoutes) {}
