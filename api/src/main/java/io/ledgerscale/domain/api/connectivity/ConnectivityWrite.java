// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.connectivity;

/**
 * One change to a node's connectivity row: a client's report, or its session opening or ending.
 * Each says what it makes of the row as it was, so an instance can know the row it will store
 * before the store has it (the store applies the same rule, and never goes back in time).
 */
public sealed interface ConnectivityWrite permits ConnectivityReport, PresenceChange {
  long nodeId();

  /** The row after this write, given the row before it (null: none yet). */
  NodeConnectivity applyTo(NodeConnectivity before);
}
