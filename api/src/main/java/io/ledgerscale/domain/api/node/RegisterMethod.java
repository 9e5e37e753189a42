// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

/** How a node joined; the names are Headscale's (REGISTER_METHOD_AUTH_KEY, ..._CLI, ..._OIDC). */
public enum RegisterMethod {
  AUTH_KEY,
  CLI,
  OIDC
}
