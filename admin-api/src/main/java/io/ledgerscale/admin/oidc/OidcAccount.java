// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import java.io.Serializable;

/**
 * The account an OIDC login acts as, decided once ({@link OidcUsers#accountFor}) when the
 * confirmation page is shown, kept in the browser's session, and used as it is by the confirmation:
 * the page names exactly the account the device joins.
 *
 * @param userId the existing user this identity logged in as before, or null for a new one
 * @param name the account's name: the existing user's current name, or the name a new user gets
 * @param wanted the name the identity provider's claims asked for; differs from {@code name} when
 *     another user already holds it
 */
public record OidcAccount(Long userId, String name, String wanted) implements Serializable {

  public boolean isNew() {
    return userId == null;
  }

  /** A new user that could not have the name its claims asked for. */
  public boolean renamedForClash() {
    return isNew() && !name.equals(wanted);
  }
}
