// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

/**
 * Where the policy comes from. In file mode ({@code policy.mode: file} with a {@code policy.path})
 * only the server itself sets it, from the file; an admin's set is refused, as Headscale refuses
 * it.
 */
public record PolicySource(boolean fromFile, String path) {
  public static final PolicySource DATABASE = new PolicySource(false, null);

  public static PolicySource file(String path) {
    return new PolicySource(true, path);
  }
}
