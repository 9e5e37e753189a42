// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.topology;

import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A node as the policy compiler needs it. A tagged node belongs to its tags, not to a user: its
 * {@code userId} is kept for bookkeeping but ignored by user, group and autogroup:member/self
 * matching.
 *
 * @param advertisedRoutes routes the node announces (Hostinfo.RoutableIPs)
 * @param approvedRoutes routes an operator approved explicitly; auto-approval by policy is added on
 *     top
 */
public record TailnetNode(
    long id,
    String name,
    IpAddress ipv4,
    IpAddress ipv6,
    Long userId,
    Set<String> tags,
    List<IpPrefix> advertisedRoutes,
    List<IpPrefix> approvedRoutes) {

  public TailnetNode {
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    advertisedRoutes = advertisedRoutes == null ? List.of() : List.copyOf(advertisedRoutes);
    approvedRoutes = approvedRoutes == null ? List.of() : List.copyOf(approvedRoutes);
  }

  public boolean isTagged() {
    return !tags.isEmpty();
  }

  /** The user this node acts as, or null for a tagged node. */
  public Long owningUserId() {
    return isTagged() ? null : userId;
  }

  public List<IpAddress> addresses() {
    List<IpAddress> a = new ArrayList<>(2);
    if (ipv4 != null) {
      a.add(ipv4);
    }
    if (ipv6 != null) {
      a.add(ipv6);
    }
    return a;
  }

  public TailnetNode withTags(Set<String> newTags) {
    return new TailnetNode(id, name, ipv4, ipv6, userId, newTags, advertisedRoutes, approvedRoutes);
  }

  public TailnetNode withRoutes(List<IpPrefix> advertised, List<IpPrefix> approved) {
    return new TailnetNode(id, name, ipv4, ipv6, userId, tags, advertised, approved);
  }
}
