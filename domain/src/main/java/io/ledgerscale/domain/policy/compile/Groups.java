// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Policy;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Group membership, following nested groups (the parser has already refused cycles). */
public final class Groups {
  private Groups() {}

  /** The user tokens a group names, nested groups flattened. */
  public static Set<String> userTokens(Policy policy, String group) {
    Set<String> out = new LinkedHashSet<>();
    collect(policy, group, out, new HashSet<>());
    return out;
  }

  private static void collect(Policy policy, String group, Set<String> out, Set<String> seen) {
    if (!seen.add(group)) {
      return;
    }
    for (String m : policy.groups().getOrDefault(group, List.of())) {
      if (m.startsWith("group:")) {
        collect(policy, m, out, seen);
      } else {
        out.add(m);
      }
    }
  }

  /**
   * Does the group (nested groups followed) hold a token that names the user, per {@code names}?
   */
  public static boolean contains(Policy policy, String group, Predicate<String> names) {
    for (String token : userTokens(policy, group)) {
      if (names.test(token)) {
        return true;
      }
    }
    return false;
  }
}
