// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import java.util.List;

/**
 * Where a change in a node's advertised routes (Hostinfo.RoutableIPs) goes. Advertised routes are
 * connectivity state until approved (ADR 0001), but the node aggregate needs them for
 * auto-approval: the server supplies a bean that sends the node's advertise command. Without one
 * the routes are only kept in the connectivity table.
 */
@FunctionalInterface
public interface RoutesAdvertiser {
  void advertised(long nodeId, List<String> routes);
}
