// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.node.Owner;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.UserProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The user profiles a view shows: the viewer's owner and every peer's. */
final class UserProfiles {
  private UserProfiles() {}

  static final UserProfile TAGGED_DEVICES =
      new UserProfile(TaggedDevices.USER_ID, TaggedDevices.USER_NAME, "Tagged Devices", null);

  static List<UserProfile> profiles(
      NodeView self, java.util.Collection<Node> peers, MapSnapshot t) {
    Map<Long, UserProfile> out = new LinkedHashMap<>();
    out.put(self.userId(), profile(self.userId(), t));
    for (Node p : peers) {
      if (!out.containsKey(p.user())) {
        out.put(p.user(), profile(p.user(), t));
      }
    }
    return List.copyOf(out.values());
  }

  static UserProfile profile(long userId, MapSnapshot t) {
    if (Owner.ofShownId(userId).isTagged()) {
      return TAGGED_DEVICES;
    }
    UserView u = t.users().get(userId);
    if (u == null) {
      return new UserProfile(userId, "user-" + userId, "user-" + userId, null);
    }
    String login = u.email() != null && !u.email().isBlank() ? u.email() : u.name();
    String display =
        u.displayName() != null && !u.displayName().isBlank() ? u.displayName() : u.name();
    return new UserProfile(u.id(), login, display, u.pictureUrl());
  }
}
