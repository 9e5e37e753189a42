// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.audit;

/** Through what channel a command arrived. */
public enum Origin {
  CLI,
  REST,
  NODE,
  OIDC,
  SCHEDULER,
  SYSTEM
}
