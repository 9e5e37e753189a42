// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.support;

import io.ledgerscale.domain.api.node.Owner;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A node's owner in {@code node_view.user_id}: Headscale's visible id, {@code
 * TaggedDevices.USER_ID} for a tagged node, so that listing by user works the way Headscale's does.
 * Written and read here only.
 */
public final class OwnerColumn {
  public static final String NAME = "user_id";

  private OwnerColumn() {}

  public static long of(Owner owner) {
    return owner.shownId();
  }

  public static Owner read(ResultSet rs) throws SQLException {
    return Owner.ofShownId(rs.getLong(NAME));
  }
}
