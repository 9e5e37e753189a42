// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.ConnectivityReport;
import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.connectivity.ConnectivityWrite;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.connectivity.PresenceChange;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.FetchPolicyQuery;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.FindNodeByNodeKeyQuery;
import io.ledgerscale.domain.api.query.FindNodeQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.domain.api.query.UserView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;

/**
 * The read models the map reads (nodes, users, policy) and the connectivity table, held in memory
 * and answered through a real Axon query bus, so the node map can be driven without a database: by
 * the map tests and the benchmark. The answers are the same records the projections answer with.
 */
final class InMemoryReadModels implements ConnectivityStore {
  final Map<Long, NodeView> nodes = new ConcurrentSkipListMap<>();
  final Map<Long, UserView> users = new ConcurrentSkipListMap<>();
  volatile PolicyView policy;
  private final Map<Long, NodeConnectivity> connectivity = new ConcurrentHashMap<>();
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  final QueryGateway queries;

  InMemoryReadModels() {
    SimpleQueryBus bus = SimpleQueryBus.builder().build();
    new AnnotationQueryHandlerAdapter<>(
            new Handlers(), ClasspathParameterResolverFactory.forClass(Handlers.class))
        .subscribe(bus);
    this.queries = DefaultQueryGateway.builder().queryBus(bus).build();
  }

  /** The query handlers, as the projections module declares them. */
  final class Handlers {
    @QueryHandler
    public List<NodeView> handle(FetchNodesQuery q) {
      return new ArrayList<>(nodes.values());
    }

    @QueryHandler
    public NodeView handle(FindNodeQuery q) {
      return nodes.get(q.nodeId());
    }

    @QueryHandler
    public NodeView handle(FindNodeByNodeKeyQuery q) {
      return nodes.values().stream()
          .filter(v -> q.nodeKey().equalsIgnoreCase(v.nodeKey()))
          .findFirst()
          .orElse(null);
    }

    @QueryHandler
    public List<UserView> handle(FetchUsersQuery q) {
      return new ArrayList<>(users.values());
    }

    @QueryHandler
    public PolicyView handle(FetchPolicyQuery q) {
      return policy;
    }
  }

  /** Sets a connectivity row as a client's report would, without telling anyone (setup). */
  void put(NodeConnectivity c) {
    connectivity.put(c.nodeId(), c);
  }

  @Override
  public NodeConnectivity report(ConnectivityReport r) {
    NodeConnectivity c = asStored(r.applyTo(connectivity.get(r.nodeId())));
    connectivity.put(r.nodeId(), c);
    announce(r.nodeId());
    return c;
  }

  @Override
  public void setOnline(long nodeId, boolean online, String instanceId, Instant at) {
    writeAll(List.of(new PresenceChange(nodeId, online, instanceId, at)));
  }

  @Override
  public void writeAll(List<ConnectivityWrite> writes) {
    Set<Long> written = new LinkedHashSet<>();
    for (ConnectivityWrite w : writes) {
      connectivity.put(w.nodeId(), asStored(w.applyTo(connectivity.get(w.nodeId()))));
      written.add(w.nodeId());
    }
    written.forEach(this::announce);
  }

  @Override
  public Map<Long, NodeConnectivity> findAll(Collection<Long> nodeIds) {
    Map<Long, NodeConnectivity> out = new TreeMap<>();
    for (Long id : nodeIds) {
      NodeConnectivity c = connectivity.get(id);
      if (c != null) {
        out.put(id, c);
      }
    }
    return out;
  }

  @Override
  public void heartbeat(Collection<Long> nodeIds, Instant at) {}

  @Override
  public Optional<NodeConnectivity> find(long nodeId) {
    return Optional.ofNullable(connectivity.get(nodeId));
  }

  @Override
  public Map<Long, NodeConnectivity> all() {
    return new TreeMap<>(connectivity);
  }

  @Override
  public void forget(long nodeId) {
    connectivity.remove(nodeId);
  }

  @Override
  public void onChange(LongConsumer listener) {
    listeners.add(listener);
  }

  /** A written row as PostgreSQL keeps it: its times to the microsecond. */
  private static NodeConnectivity asStored(NodeConnectivity c) {
    return new NodeConnectivity(
        c.nodeId(),
        c.endpoints(),
        c.discoKey(),
        c.homeDerp(),
        c.hostinfo(),
        c.online(),
        micros(c.lastSeen()),
        c.instanceId(),
        micros(c.updatedAt()));
  }

  private static Instant micros(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
  }

  private void announce(long nodeId) {
    listeners.forEach(l -> l.accept(nodeId));
  }
}
