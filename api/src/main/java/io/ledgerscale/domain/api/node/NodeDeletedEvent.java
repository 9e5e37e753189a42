// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.util.List;
import org.axonframework.serialization.Revision;

/** A node was deleted. */
@Revision("1")
public record NodeDeletedEvent(long nodeId, String givenName, List<String> releasedAddresses) {}
