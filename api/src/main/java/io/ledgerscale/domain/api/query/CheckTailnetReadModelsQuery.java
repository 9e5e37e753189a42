// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * Have the read models a tailnet is read from (nodes, users, policy) processed the event at {@code
 * globalIndex}? Only the read models that handle events of {@code eventType} (a class name) are
 * asked: the others have nothing to do with it. Answers a Boolean; true as well when no such read
 * model exists. Lets a reader of those models wait for a change it was told about instead of
 * re-reading until it shows.
 */
public record CheckTailnetReadModelsQuery(long globalIndex, String eventType) {}
