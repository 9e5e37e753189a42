// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.AccessRule;
import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.AutoGroupKind;
import io.ledgerscale.domain.policy.Destination;
import io.ledgerscale.domain.policy.NodeAttr;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.PolicyException;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code autogroup:admin} and {@code autogroup:owner} name the users the operator lists (Tailscale
 * knows them from its account). A policy naming one the operator has not filled is refused when it
 * is set: it would name nobody, which is surely not what its author meant.
 */
final class RoleAutogroups {
  private RoleAutogroups() {}

  static void check(Policy policy, TailnetSettings settings) {
    List<Alias> named = new ArrayList<>();
    for (AccessRule r : policy.rules()) {
      named.addAll(r.sources());
      for (Destination d : r.destinations()) {
        named.add(d.alias());
      }
    }
    for (NodeAttr a : policy.nodeAttrs()) {
      named.addAll(a.targets());
    }
    for (Alias a : named) {
      if (!(a instanceof Alias.AutoGroup ag) || !ag.kind().isRole()) {
        continue;
      }
      boolean owner = ag.kind() == AutoGroupKind.OWNER;
      if (owner ? settings.owner().isEmpty() : settings.adminTokens().isEmpty()) {
        throw new PolicyException(
            "\""
                + ag.text()
                + "\" names nobody: this server has no tailnet "
                + (owner
                    ? "owner (config policy.owner)"
                    : "owner or admins (config policy.owner, policy.admins)"),
            0,
            0);
      }
    }
  }
}
