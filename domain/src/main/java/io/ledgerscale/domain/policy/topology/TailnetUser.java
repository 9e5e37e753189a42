// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.topology;

import java.util.Objects;

/** A user as the policy sees it: a login name and, when known, an e-mail address. */
public record TailnetUser(long id, String name, String email) {

  public TailnetUser {
    Objects.requireNonNull(name, "name");
  }

  /**
   * Does a policy user token ({@code alice@}, {@code alice@example.com}) name this user? {@code
   * alice@} matches the login name {@code alice} or an e-mail whose local part is {@code alice}; a
   * full address matches the e-mail, or the name when the name itself is the full address.
   */
  public boolean matches(String token) {
    if (token.endsWith("@")) {
      String local = token.substring(0, token.length() - 1);
      return local.equals(name) || (email != null && email.startsWith(token));
    }
    return token.equalsIgnoreCase(email) || token.equals(name);
  }
}
