// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.gateway.tailcfg.FilterRule;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.PeerChange;
import io.ledgerscale.gateway.tailcfg.UserProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What changed between two views of one node, as one delta message. Pure: tested through {@link
 * MapBuilder#delta}.
 */
final class MapDelta {
  private MapDelta() {}

  /**
   * What changed from {@code before} to {@code after}, as one delta message, or null when nothing
   * did. A peer whose only changes are endpoints, disco key or home DERP goes out as a
   * PeersChangedPatch.
   */
  static MapResponse between(NodeMap before, NodeMap after, MapSnapshot t, Instant now) {
    Node self = Objects.equals(before.self(), after.self()) ? null : after.self();
    List<Node> changed = new ArrayList<>();
    List<PeerChange> patches = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    Map<String, Boolean> onlineChange = new TreeMap<>();
    if (before.peers() instanceof PeerTable<Node> was
        && after.peers() instanceof PeerTable<Node> is
        && was.flaggedBy(before.online())
        && is.flaggedBy(after.online())) {
      // both in id order: one walk over the two, no lookups
      int i = 0;
      int j = 0;
      while (i < was.size() || j < is.size()) {
        long wasId = i < was.size() ? was.idAt(i) : Long.MAX_VALUE;
        long isId = j < is.size() ? is.idAt(j) : Long.MAX_VALUE;
        if (isId < wasId) {
          changed.add(NodeEntries.withPresence(is.valueAt(j++), t, isId));
        } else if (wasId < isId) {
          removed.add(wasId);
          i++;
        } else {
          comparePeer(
              isId,
              was.valueAt(i),
              is.valueAt(j),
              was.flagAt(i++),
              is.flagAt(j++),
              t,
              changed,
              patches,
              onlineChange);
        }
      }
    } else {
      after
          .peers()
          .forEach(
              (id, p) -> {
                Node old = before.peers().get(id);
                if (old == null) {
                  changed.add(NodeEntries.withPresence(p, t, id));
                } else {
                  comparePeer(
                      id,
                      old,
                      p,
                      before.online().get(id),
                      after.online().get(id),
                      t,
                      changed,
                      patches,
                      onlineChange);
                }
              });
      before.peers().keySet().stream()
          .filter(id -> !after.peers().containsKey(id))
          .forEach(removed::add);
    }
    List<FilterRule> filter =
        Objects.equals(before.packetFilter(), after.packetFilter()) ? null : after.packetFilter();
    List<UserProfile> profiles = new ArrayList<>(after.userProfiles());
    // a view can show hundreds of users: look them up, do not scan
    profiles.removeAll(new java.util.HashSet<>(before.userProfiles()));
    Object ssh = Objects.equals(before.sshPolicy(), after.sshPolicy()) ? null : after.sshPolicy();
    if (self == null
        && changed.isEmpty()
        && patches.isEmpty()
        && removed.isEmpty()
        && onlineChange.isEmpty()
        && filter == null
        && profiles.isEmpty()
        && ssh == null) {
      return null;
    }
    return new MapResponse(
        null,
        self,
        null,
        null,
        changed.isEmpty() ? null : changed,
        removed.isEmpty() ? null : removed,
        onlineChange.isEmpty() ? null : onlineChange,
        null,
        null,
        null,
        filter,
        profiles.isEmpty() ? null : profiles,
        NodeEntries.time(now),
        null,
        patches.isEmpty() ? null : patches,
        ssh);
  }

  /** One peer both views hold: a full entry, a patch, an online change, or nothing. */
  private static void comparePeer(
      long id,
      Node old,
      Node p,
      Boolean was,
      Boolean is,
      MapSnapshot t,
      List<Node> changed,
      List<PeerChange> patches,
      Map<String, Boolean> onlineChange) {
    // peers are shared between views (PeerEntries): most compare by identity
    if (old != p && !old.equals(p)) {
      PeerChange patch = patch(old, p);
      if (patch != null) {
        patches.add(patch);
      } else {
        changed.add(NodeEntries.withPresence(p, t, id));
      }
    } else {
      if (!Objects.equals(was, is)) {
        onlineChange.put(Long.toString(id), is);
      }
    }
  }

  /**
   * The change as a PeersChangedPatch, or null when more than endpoints, disco key or home DERP
   * changed.
   */
  private static PeerChange patch(Node old, Node now) {
    Node reverted =
        new Node(
            now.id(),
            now.stableId(),
            now.name(),
            now.user(),
            now.key(),
            now.keyExpiry(),
            now.machine(),
            old.discoKey(),
            now.addresses(),
            now.allowedIps(),
            old.endpoints(),
            old.homeDerp(),
            now.hostinfo(),
            now.created(),
            now.cap(),
            now.tags(),
            now.primaryRoutes(),
            now.lastSeen(),
            now.online(),
            now.machineAuthorized(),
            now.capMap(),
            now.expired());
    if (!reverted.equals(old)) {
      return null;
    }
    return new PeerChange(
        now.id(),
        Objects.equals(old.homeDerp(), now.homeDerp()) ? null : now.homeDerp(),
        Objects.equals(old.discoKey(), now.discoKey()) ? null : now.discoKey(),
        Objects.equals(old.endpoints(), now.endpoints())
            ? null
            : now.endpoints() == null ? List.of() : now.endpoints());
  }
}
