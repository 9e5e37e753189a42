// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.util.List;
import org.axonframework.serialization.Revision;

/** A node's tags changed; a tagged node is owned by tagged-devices. */
@Revision("1")
public record NodeTagsChangedEvent(
    long nodeId, List<String> oldTags, List<String> newTags, Long oldUserId) {}
