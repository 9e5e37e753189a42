// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

/** The caller behind an accepted API key: its id and its public prefix, never its secret. */
public record ApiKeyPrincipal(long id, String prefix) {
  @Override
  public String toString() {
    return "api key " + prefix;
  }
}
