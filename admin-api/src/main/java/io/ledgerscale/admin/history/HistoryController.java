// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.admin.audit.AuditController.AuditEntryJson;
import io.ledgerscale.admin.audit.AuditReads;
import io.ledgerscale.admin.node.NodeJson;
import io.ledgerscale.admin.node.NodeJsonFactory;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.query.AuditDiffView;
import io.ledgerscale.domain.api.query.FetchAuditDiffQuery;
import io.ledgerscale.domain.api.query.FetchNetworkMapAtQuery;
import io.ledgerscale.domain.api.query.FetchNodesAtQuery;
import io.ledgerscale.domain.api.query.NetworkMapAtView;
import io.ledgerscale.domain.api.query.NodeView;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Our extension: the network as it was at a moment (nodes, a node's map) and what changed between
 * two moments, rebuilt from the recorded events by the code that answers the live questions. Each
 * answer is itself recorded as a read of the trail.
 */
@RestController
public class HistoryController {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AdminGateway gateway;
  private final NodeJsonFactory nodes;
  private final AuditReads reads;

  public HistoryController(AdminGateway gateway, NodeJsonFactory nodes) {
    this.gateway = gateway;
    this.nodes = nodes;
    this.reads = new AuditReads(gateway);
  }

  public record NodesAtResponse(String at, List<NodeJson> nodes) {}

  /** {@code notRecorded}: what a live map holds and this one leaves out, as no event records it. */
  public record NetworkMapAtResponse(
      String nodeId, String at, String events, JsonNode map, List<String> notRecorded) {}

  public record ChangeJson(
      String targetType,
      String targetId,
      Map<String, Object> before,
      Map<String, Object> after,
      List<AuditEntryJson> changes) {}

  public record DiffResponse(String from, String to, List<ChangeJson> changes, boolean truncated) {}

  @GetMapping("/api/v1/history/nodes")
  public NodesAtResponse nodesAt(@RequestParam Instant at) {
    Bounds.check(InputBounds.instant("at", at));
    List<NodeView> found = gateway.queryList(new FetchNodesAtQuery(at), NodeView.class);
    List<NodeJson> answer = nodes.all(found);
    reads.record("nodes", AuditReads.query("at", at), answer.size());
    return new NodesAtResponse(Timestamps.format(at), answer);
  }

  @GetMapping("/api/v1/history/netmap/{nodeId}")
  public NetworkMapAtResponse netmapAt(@PathVariable long nodeId, @RequestParam Instant at) {
    Bounds.check(InputBounds.instant("at", at));
    NetworkMapAtView view =
        gateway.query(new FetchNetworkMapAtQuery(nodeId, at), NetworkMapAtView.class);
    if (view == null) {
      throw ApiProblem.notFound("node " + nodeId + " did not exist at " + at);
    }
    JsonNode map;
    try {
      map = JSON.readTree(view.mapResponseJson());
    } catch (IOException e) {
      throw new IllegalStateException("the rebuilt map is not JSON", e);
    }
    reads.record("netmap", AuditReads.query("node", nodeId, "at", at), 1);
    return new NetworkMapAtResponse(
        Long.toString(nodeId),
        Timestamps.format(at),
        Long.toString(view.events()),
        map,
        view.notRecorded());
  }

  @GetMapping("/api/v1/audit/diff")
  public DiffResponse diff(@RequestParam Instant from, @RequestParam Instant to) {
    Bounds.check(InputBounds.instant("from", from), InputBounds.instant("to", to));
    if (from.isAfter(to)) {
      throw ApiProblem.badRequest("from is after to");
    }
    AuditDiffView view = gateway.query(new FetchAuditDiffQuery(from, to), AuditDiffView.class);
    List<ChangeJson> changes =
        view.changes().stream()
            .map(
                c ->
                    new ChangeJson(
                        c.targetType(),
                        c.targetId(),
                        c.before(),
                        c.after(),
                        c.entries().stream().map(AuditEntryJson::of).toList()))
            .toList();
    reads.record("diff", AuditReads.query("from", from, "to", to), changes.size());
    return new DiffResponse(
        Timestamps.format(from), Timestamps.format(to), changes, view.truncated());
  }
}
