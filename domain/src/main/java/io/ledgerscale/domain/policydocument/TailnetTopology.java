// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import io.ledgerscale.domain.policy.topology.TailnetSnapshot;

/**
 * The users and nodes a policy is validated against when it is set or checked (its {@code tests},
 * and names such as {@code alice@} that must resolve). A port: the server answers it from the node
 * and user read models (see ADR 0002); an in-JVM ledger folds its own event store with {@link
 * TailnetHistory}.
 */
@FunctionalInterface
public interface TailnetTopology {
  TailnetSnapshot current();
}
