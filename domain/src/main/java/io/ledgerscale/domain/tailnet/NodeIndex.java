// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.Excerpts;
import io.ledgerscale.domain.support.Names;
import io.ledgerscale.domain.support.Refusals;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The tailnet's nodes by given name, by machine key and by owner: what makes names and machines
 * unique and says who owns what. Part of the {@link Tailnet} aggregate's state; its fields are
 * written into the aggregate's snapshot under their own names, as when they were the aggregate's
 * fields.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
final class NodeIndex {
  private final Map<String, Long> nodeIdsByName = new HashMap<>();
  private final Map<Long, String> nodeNamesById = new HashMap<>();
  private final Map<String, Long> nodeIdsByMachineKey = new HashMap<>();

  /** Node id to owning user id; a null value means tagged-devices. */
  private final Map<Long, Long> nodeOwners = new HashMap<>();

  boolean has(long nodeId) {
    return nodeNamesById.containsKey(nodeId);
  }

  String name(long nodeId) {
    return nodeNamesById.get(nodeId);
  }

  Optional<Long> byMachineKey(String machineKey) {
    return Optional.ofNullable(nodeIdsByMachineKey.get(machineKey));
  }

  SortedSet<Long> ids() {
    return new TreeSet<>(nodeNamesById.keySet());
  }

  Long ownerOf(long nodeId) {
    return nodeOwners.get(nodeId);
  }

  long ownedBy(long userId) {
    return nodeOwners.values().stream().filter(o -> Objects.equals(o, userId)).count();
  }

  /** {@code base}, or it with the first "-N" no node has. */
  String freeName(String base) {
    if (!nodeIdsByName.containsKey(base)) {
      return base;
    }
    for (int n = 1; ; n++) {
      String candidate = base + "-" + n;
      if (!nodeIdsByName.containsKey(candidate)) {
        return candidate;
      }
    }
  }

  void reserved(long nodeId, String machineKey, String givenName, Long userId) {
    nodeIdsByName.put(givenName, nodeId);
    nodeNamesById.put(nodeId, givenName);
    nodeIdsByMachineKey.put(machineKey, nodeId);
    nodeOwners.put(nodeId, userId);
  }

  void renamed(long nodeId, String oldName, String newName) {
    nodeIdsByName.remove(oldName);
    nodeIdsByName.put(newName, nodeId);
    nodeNamesById.put(nodeId, newName);
  }

  void ownerChanged(long nodeId, Long newUserId) {
    nodeOwners.put(nodeId, newUserId);
  }

  void released(long nodeId, String machineKey, String givenName) {
    nodeIdsByName.remove(givenName);
    nodeNamesById.remove(nodeId);
    nodeIdsByMachineKey.remove(machineKey);
    nodeOwners.remove(nodeId);
  }

  /** Refuses (recorded) a new name for {@code nodeId} that is no DNS label or is taken. */
  void checkNewName(Object command, long nodeId, String newName) {
    if (!Names.isDnsLabel(newName)) {
      throw Refusals.refuse(
          command,
          "Node",
          nodeId,
          RefusalKind.INVALID,
          "invalid node name '"
              + Excerpts.of(newName)
              + "': lower-case letters, digits and inner dashes, at most 63 characters");
    }
    Long holder = nodeIdsByName.get(newName);
    if (holder != null) {
      throw Refusals.refuse(
          command,
          "Node",
          nodeId,
          RefusalKind.CONFLICT,
          "the name " + newName + " is taken by node " + holder);
    }
  }
}
