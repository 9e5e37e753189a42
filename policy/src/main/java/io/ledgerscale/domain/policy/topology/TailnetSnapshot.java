// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.topology;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** An immutable view of the users and nodes a policy is compiled against. */
public final class TailnetSnapshot {
  private final Map<Long, TailnetUser> users;
  private final Map<Long, TailnetNode> nodes;
  private final TailnetSettings settings;

  private TailnetSnapshot(
      Map<Long, TailnetUser> users, Map<Long, TailnetNode> nodes, TailnetSettings settings) {
    this.users = users;
    this.nodes = nodes;
    this.settings = settings;
  }

  public static TailnetSnapshot of(Collection<TailnetUser> users, Collection<TailnetNode> nodes) {
    Map<Long, TailnetUser> u = new LinkedHashMap<>();
    for (TailnetUser user : users) {
      if (u.put(user.id(), user) != null) {
        throw new IllegalArgumentException("duplicate user id " + user.id());
      }
    }
    Map<Long, TailnetNode> n = new LinkedHashMap<>();
    for (TailnetNode node : nodes) {
      if (n.put(node.id(), node) != null) {
        throw new IllegalArgumentException("duplicate node id " + node.id());
      }
    }
    return new TailnetSnapshot(
        java.util.Collections.unmodifiableMap(u),
        java.util.Collections.unmodifiableMap(n),
        TailnetSettings.NONE);
  }

  /** A copy with the operator's settings (the tailnet's domains, owner and admins). */
  public TailnetSnapshot withSettings(TailnetSettings settings) {
    return new TailnetSnapshot(users, nodes, java.util.Objects.requireNonNull(settings));
  }

  public TailnetSettings settings() {
    return settings;
  }

  public Collection<TailnetUser> users() {
    return users.values();
  }

  public Collection<TailnetNode> nodes() {
    return nodes.values();
  }

  public TailnetNode node(long id) {
    return nodes.get(id);
  }

  public TailnetUser user(Long id) {
    return id == null ? null : users.get(id);
  }

  /** A copy with one node replaced (or added). */
  public TailnetSnapshot withNode(TailnetNode node) {
    Map<Long, TailnetNode> n = new LinkedHashMap<>(nodes);
    n.put(node.id(), node);
    return new TailnetSnapshot(users, java.util.Collections.unmodifiableMap(n), settings);
  }

  public TailnetSnapshot withoutNode(long id) {
    Map<Long, TailnetNode> n = new LinkedHashMap<>(nodes);
    n.remove(id);
    return new TailnetSnapshot(users, java.util.Collections.unmodifiableMap(n), settings);
  }
}
