// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.util.List;
import org.axonframework.serialization.Revision;

/** A node's approved routes changed. */
@Revision("1")
public record NodeRoutesApprovedEvent(long nodeId, List<String> oldRoutes, List<String> newRoutes) {}
