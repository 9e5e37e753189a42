// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserNaming;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may apply which tag, per the policy's {@code tagOwners} (users {@code alice@}, groups, other
 * tags). This is the contract the node commands use; it asks the parsed {@link Policy}, so a policy
 * it accepts is one the compiler accepts too.
 */
public final class TagOwners {
  private final Policy policy;

  private TagOwners(Policy policy) {
    this.policy = policy;
  }

  /** No policy set: nobody owns any tag (Tailscale's default). */
  public static TagOwners none() {
    return new TagOwners(Policy.ALLOW_ALL);
  }

  /**
   * Parses and validates a HuJSON policy; throws {@link PolicyException} (an
   * IllegalArgumentException) if refused.
   */
  public static TagOwners parse(String hujson) {
    return new TagOwners(Policy.parse(hujson));
  }

  public static TagOwners of(Policy policy) {
    return new TagOwners(policy);
  }

  /**
   * True when the tag is declared in tagOwners at all (an undeclared tag cannot be applied by
   * anyone).
   */
  public boolean isDeclared(String tag) {
    return policy.tagOwners().containsKey(tag);
  }

  /**
   * May the user apply the tag? An owner token counts only when it names exactly this user ({@code
   * naming}, see UserTokens: an ambiguous token names nobody). Owners may be groups or other tags,
   * whose owners then may apply it too.
   */
  public boolean mayApply(TailnetUser user, UserNaming naming, String tag) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(tag));
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      for (String o : policy.tagOwners().getOrDefault(t, List.of())) {
        if (o.startsWith("tag:")) {
          todo.push(o);
        } else if (o.startsWith("group:")) {
          if (groupContains(o, user, naming, new HashSet<>())) {
            return true;
          }
        } else if (naming.names(o, user)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean groupContains(
      String group, TailnetUser user, UserNaming naming, Set<String> seen) {
    if (!seen.add(group)) {
      return false;
    }
    for (String m : policy.groups().getOrDefault(group, List.of())) {
      if (m.startsWith("group:") ? groupContains(m, user, naming, seen) : naming.names(m, user)) {
        return true;
      }
    }
    return false;
  }
}
