// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

/** Gives a node a new name; it must be DNS-safe and unique. */
public record RenameNodeCommand(long nodeId, String newName) {}
