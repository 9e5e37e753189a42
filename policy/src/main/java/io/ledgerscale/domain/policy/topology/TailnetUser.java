// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.topology;

import java.util.Objects;

/** A user as the policy sees it: a login name and, when known, an e-mail address. */
public record TailnetUser(long id, String name, String email) {

  public TailnetUser {
    Objects.requireNonNull(name, "name");
  }

  /**
   * Is this user a candidate for a policy user token ({@code alice@}, {@code alice@example.com})? A
   * token names a user only when that user is its only candidate: see {@link UserTokens}.
   */
  public boolean matches(String token) {
    return UserTokens.isCandidate(this, token);
  }
}
