// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import java.util.List;

/**
 * The policy's {@code nodeAttrs} address pools as one new node sees them: {@code applying}, the
 * IPv4 prefixes whose entries target the node, in policy order; {@code all}, every pool of the
 * policy (nodes no pool targets get addresses outside them). Prefixes were checked by the policy
 * parser (IPv4 networks inside 100.64.0.0/10).
 */
public record PolicyPools(List<String> applying, List<String> all) {
  public static final PolicyPools NONE = new PolicyPools(List.of(), List.of());

  public PolicyPools {
    applying = List.copyOf(applying);
    all = List.copyOf(all);
  }
}
