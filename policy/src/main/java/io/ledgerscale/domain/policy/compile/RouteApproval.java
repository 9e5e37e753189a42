// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.AutoGroupKind;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserNaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Route auto-approval. A subnet route is approved when an {@code autoApprovers.routes} prefix
 * covers it and names the node (by tag, user, group or autogroup). Exit routes ({@code 0.0.0.0/0},
 * {@code ::/0}) are approved only by {@code autoApprovers.exitNode}: the captures show Tailscale
 * does not treat a {@code routes} entry for {@code 0.0.0.0/0} as exit-node approval.
 */
public final class RouteApproval {
  private RouteApproval() {}

  /**
   * The advertised routes the policy approves for this node (the operator's explicit approvals not
   * included). {@code naming} says which user a token names (exactly one, see UserTokens).
   */
  public static List<IpPrefix> autoApproved(
      Policy policy, TailnetNode node, TailnetUser owner, UserNaming naming) {
    List<IpPrefix> out = new ArrayList<>();
    for (IpPrefix route : node.advertisedRoutes()) {
      if (isAutoApproved(policy, node, owner, naming, route)) {
        out.add(route);
      }
    }
    return out;
  }

  public static boolean isAutoApproved(
      Policy policy, TailnetNode node, TailnetUser owner, UserNaming naming, IpPrefix route) {
    if (route.isDefaultRoute()) {
      return namesNode(policy, policy.autoApprovers().exitNode(), node, owner, naming);
    }
    for (Map.Entry<IpPrefix, List<Alias>> e : policy.autoApprovers().routes().entrySet()) {
      if (e.getKey().contains(route) && namesNode(policy, e.getValue(), node, owner, naming)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Advertised and approved: the routes a node actually serves. Approval is state (recorded when an
   * operator approves, or when the policy auto-approves at the moment a route is advertised or the
   * policy changes), so the compiler reads it and does not re-derive it: a capture shows the same
   * policy with and without the approval.
   */
  public static List<IpPrefix> served(TailnetNode node) {
    List<IpPrefix> out = new ArrayList<>();
    for (IpPrefix r : node.advertisedRoutes()) {
      if (node.approvedRoutes().contains(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Advertised routes the policy approves that are not approved yet: what to record as approved
   * now.
   */
  public static List<IpPrefix> pendingAutoApprovals(
      Policy policy, TailnetNode node, TailnetUser owner, UserNaming naming) {
    List<IpPrefix> out = new ArrayList<>();
    for (IpPrefix r : autoApproved(policy, node, owner, naming)) {
      if (!node.approvedRoutes().contains(r)) {
        out.add(r);
      }
    }
    return out;
  }

  static boolean namesNode(
      Policy policy,
      List<Alias> approvers,
      TailnetNode node,
      TailnetUser owner,
      UserNaming naming) {
    for (Alias a : approvers) {
      if (a instanceof Alias.Tag t && node.tags().contains(t.text())) {
        return true;
      }
      if (a instanceof Alias.AutoGroup ag) {
        if ((ag.kind() == AutoGroupKind.TAGGED && node.isTagged())
            || (ag.kind() == AutoGroupKind.MEMBER && !node.isTagged())) {
          return true;
        }
        continue;
      }
      if (node.isTagged() || owner == null) {
        continue;
      }
      if (a instanceof Alias.User u && naming.names(u.text(), owner)) {
        return true;
      }
      if (a instanceof Alias.Group g
          && Groups.contains(policy, g.text(), t -> naming.names(t, owner))) {
        return true;
      }
    }
    return false;
  }
}
