// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.audit;

/**
 * The who of a command: its type, a stable id (user id, API key prefix, node id, "system") and a
 * display name.
 */
public record Actor(ActorType type, String id, String name) {

  public static Actor system(String name) {
    return new Actor(ActorType.SYSTEM, "system", name);
  }
}
