// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.Excerpts;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.support.Names;
import io.ledgerscale.domain.support.Refusals;
import java.util.HashMap;
import java.util.Map;

/**
 * The tailnet's users by name and by id: what makes user names unique. Part of the {@link Tailnet}
 * aggregate's state; its fields are written into the aggregate's snapshot under their own names, as
 * when they were the aggregate's fields.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
final class UserIndex {
  private final Map<String, Long> userIdsByName = new HashMap<>();
  private final Map<Long, String> userNamesById = new HashMap<>();

  String name(long userId) {
    return userNamesById.get(userId);
  }

  Long byName(String name) {
    return name == null ? null : userIdsByName.get(name);
  }

  boolean has(long userId) {
    return userNamesById.containsKey(userId);
  }

  Map<Long, String> names() {
    return Map.copyOf(userNamesById);
  }

  void reserved(long userId, String name) {
    userIdsByName.put(name, userId);
    userNamesById.put(userId, name);
  }

  void renamed(long userId, String oldName, String newName) {
    userIdsByName.remove(oldName);
    userIdsByName.put(newName, userId);
    userNamesById.put(userId, newName);
  }

  void released(long userId, String name) {
    userIdsByName.remove(name);
    userNamesById.remove(userId);
  }

  /** Refuses (recorded) a name that is malformed, reserved or taken. */
  void checkName(Object command, Long userId, String name) {
    if (!Names.isUserName(name)) {
      throw Refusals.refuse(
          command,
          "User",
          userId == null ? name : userId,
          RefusalKind.INVALID,
          "invalid user name '"
              + Excerpts.of(name)
              + "': letters, digits and . _ @ + - only, starting with a letter or digit");
    }
    if (TaggedDevices.USER_NAME.equals(name)) {
      throw Refusals.refuse(
          command,
          "User",
          userId == null ? name : userId,
          RefusalKind.CONFLICT,
          "the name " + name + " is reserved for tagged nodes");
    }
    if (userIdsByName.containsKey(name)) {
      throw Refusals.refuse(
          command,
          "User",
          userId == null ? name : userId,
          RefusalKind.CONFLICT,
          "a user named " + name + " already exists");
    }
  }

  /** A user named by name, or else by numeric id; refuses (recorded) when there is none. */
  long resolve(Object command, String nameOrId) {
    if (nameOrId != null) {
      Long byName = userIdsByName.get(nameOrId);
      if (byName != null) {
        return byName;
      }
      try {
        long id = Long.parseLong(nameOrId.trim());
        if (userNamesById.containsKey(id)) {
          return id;
        }
      } catch (NumberFormatException notANumber) {
        // not an id either
      }
    }
    throw Refusals.refuse(
        command,
        "User",
        nameOrId,
        RefusalKind.NOT_FOUND,
        "no user named or numbered " + Excerpts.of(nameOrId));
  }
}
