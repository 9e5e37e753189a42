// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.AutoGroupKind;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.net.IpRange;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserTokens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is who in a snapshot, indexed for alias resolution: nodes by tag, by owning user, tagged and
 * member nodes, the routes each node serves. Replacing one node copies the small top-level maps and
 * touches only that node's entries, so a tag change does not rebuild the index.
 */
final class TailnetIndex {
  final Policy policy;
  final TailnetSnapshot snapshot;
  private final Map<String, Set<Long>> byTag;
  private final Map<Long, Set<Long>> byUser;
  private final Set<Long> tagged;
  private final Set<Long> members;
  private final Map<Long, List<IpPrefix>> served;

  /** Nodes serving subnet or exit routes. */
  private final Set<Long> routeNodes;

  private final Map<String, Set<Long>> usersByToken;

  private TailnetIndex(
      Policy policy,
      TailnetSnapshot snapshot,
      Map<String, Set<Long>> byTag,
      Map<Long, Set<Long>> byUser,
      Set<Long> tagged,
      Set<Long> members,
      Map<Long, List<IpPrefix>> served,
      Set<Long> routeNodes,
      Map<String, Set<Long>> usersByToken) {
    this.policy = policy;
    this.snapshot = snapshot;
    this.byTag = byTag;
    this.byUser = byUser;
    this.tagged = tagged;
    this.members = members;
    this.served = served;
    this.routeNodes = routeNodes;
    this.usersByToken = usersByToken;
  }

  static TailnetIndex build(Policy policy, TailnetSnapshot snapshot) {
    TailnetIndex idx =
        new TailnetIndex(
            policy,
            snapshot,
            new HashMap<>(),
            new HashMap<>(),
            new LinkedHashSet<>(),
            new LinkedHashSet<>(),
            new HashMap<>(),
            new LinkedHashSet<>(),
            new HashMap<>());
    for (TailnetNode n : snapshot.nodes()) {
      idx.add(n);
    }
    return idx;
  }

  /** A copy with one node replaced; sets that do not involve the node are shared, not copied. */
  TailnetIndex withNode(TailnetNode updated) {
    TailnetNode old = snapshot.node(updated.id());
    TailnetIndex next = copyOver(snapshot.withNode(updated));
    if (old != null) {
      next.remove(old);
    }
    next.add(updated);
    return next;
  }

  /** A copy without one node; sets that do not involve the node are shared, not copied. */
  TailnetIndex withoutNode(long nodeId) {
    TailnetNode old = snapshot.node(nodeId);
    if (old == null) {
      return this;
    }
    TailnetIndex next = copyOver(snapshot.withoutNode(nodeId));
    next.remove(old);
    return next;
  }

  /** This index's lookups, copied so the caller can change them, over another snapshot. */
  private TailnetIndex copyOver(TailnetSnapshot other) {
    return new TailnetIndex(
        policy,
        other,
        new HashMap<>(byTag),
        new HashMap<>(byUser),
        new LinkedHashSet<>(tagged),
        new LinkedHashSet<>(members),
        new HashMap<>(served),
        new LinkedHashSet<>(routeNodes),
        usersByToken);
  }

  /**
   * A copy whose snapshot has other users (same nodes), for a user change no alias tells apart; the
   * token cache starts empty, everything else is shared.
   */
  TailnetIndex withUsers(TailnetSnapshot next) {
    return new TailnetIndex(
        policy, next, byTag, byUser, tagged, members, served, routeNodes, new HashMap<>());
  }

  private void add(TailnetNode n) {
    for (String t : n.tags()) {
      Set<Long> s = new TreeSet<>(byTag.getOrDefault(t, Set.of()));
      s.add(n.id());
      byTag.put(t, s);
    }
    if (n.isTagged()) {
      tagged.add(n.id());
    } else if (n.userId() != null) {
      members.add(n.id());
      Set<Long> s = new TreeSet<>(byUser.getOrDefault(n.userId(), Set.of()));
      s.add(n.id());
      byUser.put(n.userId(), s);
    }
    List<IpPrefix> routes = RouteApproval.served(n);
    served.put(n.id(), routes);
    if (!routes.isEmpty()) {
      routeNodes.add(n.id());
    }
  }

  private void remove(TailnetNode n) {
    for (String t : n.tags()) {
      Set<Long> s = new TreeSet<>(byTag.getOrDefault(t, Set.of()));
      s.remove(n.id());
      byTag.put(t, s);
    }
    tagged.remove(n.id());
    members.remove(n.id());
    if (n.userId() != null && byUser.containsKey(n.userId())) {
      Set<Long> s = new TreeSet<>(byUser.get(n.userId()));
      s.remove(n.id());
      byUser.put(n.userId(), s);
    }
    served.remove(n.id());
    routeNodes.remove(n.id());
  }

  TailnetUser owner(TailnetNode n) {
    return snapshot.user(n.owningUserId());
  }

  TailnetNode node(long id) {
    return snapshot.node(id);
  }

  List<IpPrefix> served(long nodeId) {
    return served.getOrDefault(nodeId, List.of());
  }

  List<IpPrefix> subnetRoutes(long nodeId) {
    List<IpPrefix> out = new ArrayList<>();
    for (IpPrefix p : served(nodeId)) {
      if (!p.isDefaultRoute()) {
        out.add(p);
      }
    }
    return out;
  }

  boolean isExitNode(long nodeId) {
    for (IpPrefix p : served(nodeId)) {
      if (p.isDefaultRoute()) {
        return true;
      }
    }
    return false;
  }

  Set<Long> routeNodes() {
    return Collections.unmodifiableSet(routeNodes);
  }

  Set<Long> nodesOfUser(Long userId) {
    return userId == null ? Set.of() : byUser.getOrDefault(userId, Set.of());
  }

  /** Served subnet routes of every node, as {@code *} adds them to a rule's sources. */
  List<String> wildcardRouteStrings() {
    Set<String> out = new TreeSet<>();
    for (Long id : routeNodes) {
      for (IpPrefix p : served(id)) {
        if (!p.isDefaultRoute()) {
          out.add(p.toString());
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * The user a token names, as a set of none or one id: an ambiguous token names nobody (see {@link
   * UserTokens}).
   */
  Set<Long> usersMatching(String token) {
    synchronized (usersByToken) {
      return usersByToken.computeIfAbsent(
          token,
          t -> {
            String domain = DomainUsers.domainOf(t);
            if (domain != null) {
              return DomainUsers.usersIn(domain, snapshot.users());
            }
            return UserTokens.resolve(t, snapshot.users())
                .map(u -> Set.of(u.id()))
                .orElse(Set.of());
          });
    }
  }

  /** Does the token name exactly this user? */
  boolean names(String token, TailnetUser user) {
    return user != null && usersMatching(token).contains(user.id());
  }

  /**
   * The nodes an identity alias names (users, groups, tags, member/tagged). Address aliases,
   * wildcard and the other autogroups name no node here.
   */
  Set<Long> nodesOf(Alias alias) {
    if (alias instanceof Alias.Tag t) {
      return byTag.getOrDefault(t.text(), Set.of());
    }
    if (alias instanceof Alias.User u) {
      Set<Long> out = new TreeSet<>();
      for (Long user : usersMatching(u.text())) {
        out.addAll(nodesOfUser(user));
      }
      return out;
    }
    if (alias instanceof Alias.Group g) {
      Set<Long> out = new TreeSet<>();
      for (String token : Groups.userTokens(policy, g.text())) {
        for (Long user : usersMatching(token)) {
          out.addAll(nodesOfUser(user));
        }
      }
      return out;
    }
    if (alias instanceof Alias.AutoGroup ag) {
      if (ag.kind() == AutoGroupKind.MEMBER) {
        return members;
      }
      if (ag.kind() == AutoGroupKind.TAGGED) {
        return tagged;
      }
      if (ag.kind().isRole()) {
        TailnetSettings s = snapshot.settings();
        List<String> tokens =
            ag.kind() == AutoGroupKind.ADMIN
                ? s.adminTokens()
                : s.owner().isEmpty() ? List.of() : List.of(s.owner());
        Set<Long> out = new TreeSet<>();
        for (String token : tokens) {
          for (Long user : usersMatching(token)) {
            out.addAll(nodesOfUser(user));
          }
        }
        return out;
      }
    }
    return Set.of();
  }

  /** The prefix an address alias stands for, or null. */
  IpPrefix prefixOf(Alias alias) {
    if (alias instanceof Alias.Prefix p) {
      return p.prefix();
    }
    if (alias instanceof Alias.Host h) {
      return policy.hosts().get(h.text());
    }
    return null;
  }

  /** Nodes with an address inside the prefix. */
  List<Long> nodesWithAddressIn(IpPrefix prefix) {
    List<Long> out = new ArrayList<>();
    IpRange range = prefix.range();
    for (TailnetNode n : snapshot.nodes()) {
      for (IpAddress a : n.addresses()) {
        if (range.contains(a)) {
          out.add(n.id());
          break;
        }
      }
    }
    return out;
  }

  /**
   * Does the node own this range through an address, a served subnet route, or (public ranges) as
   * exit node?
   */
  boolean nodeReceives(long nodeId, IpRange range, boolean everything) {
    if (everything) {
      return true;
    }
    TailnetNode n = node(nodeId);
    for (IpAddress a : n.addresses()) {
      if (range.contains(a)) {
        return true;
      }
    }
    for (IpPrefix p : served(nodeId)) {
      if (!p.isDefaultRoute() && p.range().overlaps(range)) {
        return true;
      }
    }
    return isExitNode(nodeId) && TailnetRanges.INTERNET.covers(range);
  }
}
