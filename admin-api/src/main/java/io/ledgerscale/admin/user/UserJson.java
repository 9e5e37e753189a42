// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.user;

import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.UserView;
import java.util.Objects;

/**
 * Headscale's v1 User as grpc-gateway writes it: camelCase names, the id as a string, empty strings
 * for unset.
 */
public record UserJson(
    String id,
    String name,
    String createdAt,
    String displayName,
    String email,
    String providerId,
    String provider,
    String profilePicUrl) {

  public static UserJson of(UserView user) {
    return new UserJson(
        Long.toString(user.id()),
        text(user.name()),
        Timestamps.format(user.createdAt()),
        text(user.displayName()),
        text(user.email()),
        text(user.providerId()),
        text(user.provider()),
        text(user.pictureUrl()));
  }

  /**
   * Headscale's creation time for a user that has none (Go's zero time, as its JSON writes it):
   * clients such as Headplane read {@code createdAt} as a string on every user.
   */
  static final String NO_TIME = "0001-01-01T00:00:00Z";

  /** A user known only by id and name, such as the tagged-devices pseudo-user. */
  public static UserJson named(long id, String name) {
    return new UserJson(Long.toString(id), text(name), NO_TIME, "", "", "", "", "");
  }

  public static UserJson taggedDevices() {
    return named(TaggedDevices.USER_ID, TaggedDevices.USER_NAME);
  }

  static String text(String value) {
    return Objects.requireNonNullElse(value, "");
  }
}
