// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

/**
 * Who a node belongs to: one user, or, once tagged, its tags (Headscale's pseudo-user {@link
 * TaggedDevices}). Two encodings of it are stored and must stay as they are: events write the
 * user's id or null for tagged ({@link #ofEvent}, {@link #eventUserId}), the {@code node_view} read
 * model and the admin API Headscale's visible id, {@link TaggedDevices#USER_ID} for tagged ({@link
 * #ofShownId}, {@link #shownId}). Readers convert at those two boundaries and ask this value, never
 * the null or the sentinel.
 */
public sealed interface Owner {

  /** A node owned by every tag it carries, shown as the tagged-devices user. */
  Owner TAGGED = Tagged.DEVICES;

  /** A user's node. */
  record User(long id) implements Owner {
    public User {
      if (id == TaggedDevices.USER_ID) {
        throw new IllegalArgumentException(
            "user id " + id + " is " + TaggedDevices.USER_NAME + "'s, not a user's");
      }
    }
  }

  /** The one tagged owner. */
  enum Tagged implements Owner {
    DEVICES
  }

  static Owner user(long id) {
    return new User(id);
  }

  /**
   * The owner an event names: its user id, or null for a tagged node (the sentinel id, which no
   * event should carry, is read as tagged too rather than as a user that cannot exist).
   */
  static Owner ofEvent(Long userId) {
    return userId == null ? TAGGED : ofShownId(userId);
  }

  /** The owner the read model stores and the admin API shows ({@link #shownId}). */
  static Owner ofShownId(long id) {
    return id == TaggedDevices.USER_ID ? TAGGED : new User(id);
  }

  default boolean isTagged() {
    return this == TAGGED;
  }

  /** The user's id, or null for a tagged node: as events (and the policy compiler) carry it. */
  default Long eventUserId() {
    return this instanceof User u ? u.id() : null;
  }

  /** Headscale's visible user id: the user's, or {@link TaggedDevices#USER_ID}. */
  default long shownId() {
    return this instanceof User u ? u.id() : TaggedDevices.USER_ID;
  }

  /** The user name shown beside {@link #shownId}: the user's own, or tagged-devices. */
  default String shownName(String userName) {
    return isTagged() ? TaggedDevices.USER_NAME : userName;
  }
}
