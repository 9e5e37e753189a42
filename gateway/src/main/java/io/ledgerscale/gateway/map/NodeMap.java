// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.gateway.tailcfg.FilterRule;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.UserProfile;
import java.util.List;
import java.util.Map;

/**
 * What one node should see now; the last one sent on a stream is kept so the next change goes out
 * as a delta. The peer maps of a stream's NodeMap belong to that stream: a one-peer change updates
 * them in place ({@link MapBuilder#patchPeer}).
 *
 * @param peers by node id, without Online and LastSeen (those travel as OnlineChange)
 * @param online by peer node id (for a built view, a column of the peers' table: {@link
 *     PeerTable#flags})
 */
public record NodeMap(
    Node self,
    Map<Long, Node> peers,
    Map<Long, Boolean> online,
    List<FilterRule> packetFilter,
    List<UserProfile> userProfiles,
    Object sshPolicy) {}
