// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.util.List;

/**
 * Sets a node's tags. The actor must own each tag per the policy's tagOwners; the node then belongs
 * to tagged-devices.
 */
public record SetNodeTagsCommand(long nodeId, List<String> tags) {}
