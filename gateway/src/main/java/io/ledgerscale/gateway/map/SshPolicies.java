// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.FetchPolicyQuery;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

/**
 * The SSH policy one node is served, read afresh from the read models, for deciding an SSH check at
 * the moment it is asked (a policy changed since the connection started counts). Rare enough not to
 * need the map's caches.
 */
public final class SshPolicies {

  /**
   * The tailnet's nodes by id and {@code nodeId}'s SSH policy in its wire form (the JSON the node
   * got in its map); empty when the policy has no ssh section or there is no policy.
   */
  public record Snapshot(Map<Long, NodeView> nodes, Optional<JsonNode> sshPolicy) {}

  private final QueryGateway queries;
  private final SshActionUrl urls;

  public SshPolicies(QueryGateway queries, SshActionUrl urls) {
    this.queries = queries;
    this.urls = urls;
  }

  public CompletableFuture<Snapshot> forNode(long nodeId) {
    CompletableFuture<List<NodeView>> nodes =
        queries.query(new FetchNodesQuery(null), ResponseTypes.multipleInstancesOf(NodeView.class));
    CompletableFuture<List<UserView>> users =
        queries.query(
            new FetchUsersQuery(null, null, null),
            ResponseTypes.multipleInstancesOf(UserView.class));
    CompletableFuture<PolicyView> policy =
        queries.query(new FetchPolicyQuery(), ResponseTypes.instanceOf(PolicyView.class));
    return CompletableFuture.allOf(nodes, users, policy)
        .thenApply(
            done -> {
              List<NodeView> n = nodes.join() == null ? List.of() : nodes.join();
              List<UserView> u = users.join() == null ? List.of() : users.join();
              MapSnapshot t = MapSnapshot.of(n, u, null, Map.of(), java.util.Set.of());
              PolicyView p = policy.join();
              if (p == null
                  || p.policy() == null
                  || p.policy().isBlank()
                  || !t.nodes().containsKey(nodeId)) {
                return new Snapshot(t.nodes(), Optional.empty());
              }
              // without client-reported routes: SSH principals are node addresses, never routes
              Object ssh =
                  urls.onto(
                      PolicyEngine.compile(p.policy(), TailnetLoader.snapshot(n, u, Map.of()))
                          .sshPolicyForChecks(nodeId));
              return new Snapshot(
                  t.nodes(), Optional.ofNullable(ssh).map(TailcfgJson.MAPPER::valueToTree));
            });
  }
}
