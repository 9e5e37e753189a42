// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.List;

/**
 * A peer's routes as one viewer is shown them: {@code allowed} goes into the peer's AllowedIPs
 * after its addresses, {@code primary} (the subnet routes among them) into its PrimaryRoutes.
 */
public record PeerRoutes(List<IpPrefix> allowed, List<IpPrefix> primary) {
  public static final PeerRoutes NONE = new PeerRoutes(List.of(), List.of());

  public PeerRoutes {
    allowed = List.copyOf(allowed);
    primary = List.copyOf(primary);
  }
}
