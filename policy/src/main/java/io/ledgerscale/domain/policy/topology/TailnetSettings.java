// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.topology;

import java.util.List;
import java.util.Locale;

/**
 * What the operator says about the tailnet that its users and nodes do not: Tailscale knows these
 * from its account (the tailnet's domains, its owner, its admins); a self-hosted server is told
 * (config {@code policy.tailnet_domains}, {@code policy.owner}, {@code policy.admins}).
 *
 * @param domains the domains {@code user:*@domain} and SSH's {@code localpart:*@domain} may name,
 *     lower case; empty: any domain some user's address is in
 * @param owner the user token {@code autogroup:owner} names; empty: no owner, and the autogroup is
 *     refused
 * @param admins the user tokens {@code autogroup:admin} names besides the owner; with no owner and
 *     no admins the autogroup is refused
 */
public record TailnetSettings(List<String> domains, String owner, List<String> admins) {
  /** Nothing said: the behaviour of a server that has no such settings. */
  public static final TailnetSettings NONE = new TailnetSettings(List.of(), "", List.of());

  public TailnetSettings {
    domains =
        domains == null
            ? List.of()
            : domains.stream().map(String::strip).map(d -> d.toLowerCase(Locale.ROOT)).toList();
    owner = owner == null ? "" : owner.strip();
    admins = admins == null ? List.of() : admins.stream().map(String::strip).toList();
  }

  /** The user tokens {@code autogroup:admin} names: the owner (who is an admin too) and admins. */
  public List<String> adminTokens() {
    if (owner.isEmpty()) {
      return admins;
    }
    List<String> out = new java.util.ArrayList<>(admins);
    out.add(0, owner);
    return List.copyOf(out);
  }
}
