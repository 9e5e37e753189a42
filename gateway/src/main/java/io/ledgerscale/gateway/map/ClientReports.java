// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import java.util.List;

/**
 * Where what a node's client reports in its Hostinfo goes when the domain must record it: the
 * routes it advertises (connectivity state until approved, ADR 0001, but the node aggregate needs
 * them for auto-approval) and its OS hostname (which the admin views show and the node's given name
 * may follow). The server supplies a bean that sends the node's commands; the map does not wait for
 * them. Without one, both are only kept in the connectivity table.
 */
public interface ClientReports {
  /** The node's Hostinfo.RoutableIPs changed to {@code routes}. */
  void advertisedRoutes(long nodeId, List<String> routes);

  /**
   * The node reports {@code hostname} (within the hostname bounds), which is not the one its view
   * holds.
   */
  void reportedHostname(long nodeId, String hostname);
}
