// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import java.util.List;

/** A rule destination with the ports it opens; {@code text} is the entry as written. */
public record Destination(Alias alias, List<PortRange> ports, String text) {

  public Destination {
    ports = List.copyOf(ports);
  }
}
