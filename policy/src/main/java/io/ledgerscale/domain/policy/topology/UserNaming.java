// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.topology;

import java.util.Collection;
import java.util.function.Supplier;

/** Does a policy user token name exactly this user, by {@link UserTokens}' rule? */
@FunctionalInterface
public interface UserNaming {
  boolean names(String token, TailnetUser user);

  /**
   * The rule over a tailnet's users, read only when the user is a candidate for the token (so an
   * aggregate loads every user only when the answer depends on them).
   */
  static UserNaming over(Supplier<? extends Collection<TailnetUser>> everyone) {
    return (token, user) -> UserTokens.names(token, user, everyone);
  }
}
