// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Policy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
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
    Set<String> seen = new HashSet<>();
    // depth first in member order, without recursion: a chain of nested groups can be long
    Deque<Iterator<String>> pending = new ArrayDeque<>();
    seen.add(group);
    pending.push(policy.groups().getOrDefault(group, List.of()).iterator());
    while (!pending.isEmpty()) {
      Iterator<String> members = pending.peek();
      if (!members.hasNext()) {
        pending.pop();
        continue;
      }
      String m = members.next();
      if (!m.startsWith("group:")) {
        out.add(m);
      } else if (seen.add(m)) {
        pending.push(policy.groups().getOrDefault(m, List.of()).iterator());
      }
    }
    return out;
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
