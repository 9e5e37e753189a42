// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

/**
 * The pseudo-user that owns every tagged node. Headscale shows it with this id and name, so scripts
 * and UIs that group nodes by user keep working.
 */
public final class TaggedDevices {
  public static final long USER_ID = 2147455555L;
  public static final String USER_NAME = "tagged-devices";

  private TaggedDevices() {}
}
