// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;
import java.util.List;

/**
 * The answer to {@link FetchPolicyReachQuery}. {@code policyVersion} 0 means no policy was set yet
 * (everything allowed). {@code packetFilter} is the node's own filter (who may reach it); {@code
 * peers} are the nodes it could open connections to, with the ports their filters let it reach.
 */
public record PolicyReachView(
    Instant at,
    long policyVersion,
    String policySha256,
    Instant policyChangedAt,
    long nodeId,
    String nodeName,
    List<String> addresses,
    List<String> tags,
    String user,
    List<FilterRuleView> packetFilter,
    List<ReachablePeerView> peers) {}
