// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.audit;

/** Who issued a command. */
public enum ActorType {
  /** A human user (an admin via OIDC, or a local operator). */
  USER,
  /** A holder of an admin API key; the actor id is the key's prefix, never the secret. */
  API_KEY,
  /** A Tailscale node acting for itself (registration, logout, key rotation). */
  NODE,
  /** The server itself: scheduled expiry, ephemeral clean-up, bootstrap, policy file reload. */
  SYSTEM
}
