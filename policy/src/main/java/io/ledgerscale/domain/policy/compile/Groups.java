// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Policy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Group membership: a group is a flat list of user tokens (the parser refuses nested groups). */
public final class Groups {
  private Groups() {}

  /** The user tokens a group names. */
  public static Set<String> userTokens(Policy policy, String group) {
    return new LinkedHashSet<>(policy.groups().getOrDefault(group, List.of()));
  }

  /** Does the group hold a token that names the user, per {@code names}? */
  public static boolean contains(Policy policy, String group, Predicate<String> names) {
    for (String token : userTokens(policy, group)) {
      if (names.test(token)) {
        return true;
      }
    }
    return false;
  }
}
