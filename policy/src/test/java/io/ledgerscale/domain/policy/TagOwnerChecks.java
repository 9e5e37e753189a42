// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserNaming;
import java.util.List;

/** Asks tag ownership for a user who is the tailnet's only user. */
public final class TagOwnerChecks {
  private TagOwnerChecks() {}

  public static boolean mayApply(TagOwners owners, String name, String email, String tag) {
    TailnetUser user = new TailnetUser(1, name, email);
    return owners.mayApply(user, UserNaming.over(() -> List.of(user)), tag);
  }
}
