// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.query.FetchNetworkMapAtQuery;
import io.ledgerscale.domain.api.query.FetchNodesAtQuery;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.NetworkMapAtView;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.gateway.map.MapBuilder;
import io.ledgerscale.gateway.map.MapSettings;
import io.ledgerscale.gateway.map.MapSnapshot;
import io.ledgerscale.gateway.map.NodeMap;
import io.ledgerscale.gateway.map.TailnetLoader;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.util.List;
import java.util.Set;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/**
 * The network at a past moment: the node list, and the map a node was sent, each from read models
 * rebuilt up to that moment ({@link PointInTimeReadModels}) and computed by the live code: the node
 * projection's own query, and the gateway's {@link TailnetLoader} and {@link MapBuilder}. A past
 * map leaves out what no event records ({@link PastMapClaims}).
 */
@Component
public class PointInTimeQueries {
  private final PointInTimeReadModels models;
  private final MapSettings settings;

  /** The operator's tailnet settings are config, not events: a past map uses today's. */
  private final TailnetSettings tailnetSettings;

  public PointInTimeQueries(
      PointInTimeReadModels models, MapSettings settings, TailnetSettings tailnetSettings) {
    this.models = models;
    this.settings = settings;
    this.tailnetSettings = tailnetSettings;
  }

  @QueryHandler
  public List<NodeView> handle(FetchNodesAtQuery query) {
    return models.at(
        query.at(),
        m ->
            m.queries()
                .query(new FetchNodesQuery(null), ResponseTypes.multipleInstancesOf(NodeView.class))
                .join());
  }

  @QueryHandler
  public NetworkMapAtView handle(FetchNetworkMapAtQuery query) {
    return models.at(
        query.at(),
        m -> {
          List<NodeView> nodes =
              m.queries()
                  .query(
                      new FetchNodesQuery(null), ResponseTypes.multipleInstancesOf(NodeView.class))
                  .join();
          MapSnapshot tailnet =
              new TailnetLoader(m.queries(), new PastConnectivity(nodes), tailnetSettings)
                  .load(Set.of());
          if (tailnet.nodes().get(query.nodeId()) == null) {
            return null;
          }
          MapBuilder builder = new MapBuilder(settings);
          NodeMap map = builder.build(query.nodeId(), tailnet, query.at());
          try {
            JsonNode full = TailcfgJson.MAPPER.valueToTree(builder.full(map, tailnet, query.at()));
            return new NetworkMapAtView(
                query.nodeId(),
                query.at(),
                m.events(),
                TailcfgJson.MAPPER.writeValueAsString(PastMapClaims.strip(full)),
                PastMapClaims.notRecorded());
          } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the map", e);
          }
        });
  }
}
