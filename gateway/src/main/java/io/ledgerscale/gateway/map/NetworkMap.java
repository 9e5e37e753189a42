// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ledgerscale.domain.api.connectivity.ConnectivityReport;
import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.gateway.machine.MapStream;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.machine.NetworkMapSource;
import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node map served to clients, and the fan-out of every change to the open streams as deltas.
 *
 * <p>All map state (what each stream was last sent) lives on one worker thread, so a refresh is a plain loop: read
 * the tailnet once, rebuild each connected node's view, send what differs. A refresh is idempotent, which is what
 * lets admin events trigger it without knowing when the read models have caught up: it runs a few times after an
 * event and only the first run that sees the change sends anything.
 */
public final class NetworkMap implements NetworkMapSource, MapStreams.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkMap.class);
  private static final String ZERO_DISCO = "discokey:" + "0".repeat(64);
  /** A just-registered node can lag in the read model by about a second; wait this long before a 404. */
  static final Duration NEW_NODE_WAIT = Duration.ofSeconds(5);
  private static final Duration NEW_NODE_POLL = Duration.ofMillis(100);
  /** A client reconnecting within this window is not reported offline to its peers. */
  static final Duration OFFLINE_GRACE = Duration.ofSeconds(5);
  /** After an admin event, the read models are polled this often until they show it (or the window ends). */
  static final Duration AFTER_EVENT_POLL = Duration.ofMillis(100);
  static final Duration AFTER_EVENT_WINDOW = Duration.ofSeconds(5);

  private final TailnetLoader loader;
  private final ConnectivityStore store;
  private final MapStreams streams;
  private final MapSettings settings;
  private final MapBuilder builder;
  private final Clock clock;
  private final ScheduledExecutorService worker;
  private final Map<String, Session> sessions = new HashMap<>();
  /** Newest admin event not yet seen in a refresh that sent something; only touched on the worker. */
  private Instant pendingEventAt;
  private Instant pollUntil;
  private Consumer<Duration> delayRecorder = d -> {};
  private RoutesAdvertiser routesAdvertiser = (id, routes) -> {};

  private static final class Session {
    final long nodeId;
    NodeMap sent;

    Session(long nodeId, NodeMap sent) {
      this.nodeId = nodeId;
      this.sent = sent;
    }
  }

  public NetworkMap(TailnetLoader loader, ConnectivityStore store, MapStreams streams, MapSettings settings,
      Clock clock) {
    this.loader = loader;
    this.store = store;
    this.streams = streams;
    this.settings = settings;
    this.builder = new MapBuilder(settings);
    this.clock = clock;
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "network-map");
      t.setDaemon(true);
      return t;
    });
    streams.addListener(this);
  }

  /** Where the event → message delay goes besides the DEBUG log (a Micrometer timer in the server). */
  public void recordDelaysWith(Consumer<Duration> recorder) {
    this.delayRecorder = recorder;
  }

  /** Who is told when a node's Hostinfo.RoutableIPs change. */
  public void advertiseRoutesWith(RoutesAdvertiser advertiser) {
    this.routesAdvertiser = advertiser;
  }

  @Override
  public CompletableFuture<Optional<MapResponse>> fullMap(String machineKey, MapRequest request) {
    CompletableFuture<Optional<MapResponse>> result = new CompletableFuture<>();
    Instant giveUpAt = clock.instant().plus(NEW_NODE_WAIT);
    worker.execute(() -> attemptFullMap(machineKey, request, giveUpAt, result));
    return result;
  }

  private void attemptFullMap(String machineKey, MapRequest request, Instant giveUpAt,
      CompletableFuture<Optional<MapResponse>> result) {
    try {
      Tailnet t = loader.load(streamingIds());
      Optional<NodeView> node = t.byNodeKey(request.nodeKey());
      if (node.isEmpty()) {
        if (clock.instant().isBefore(giveUpAt)) {
          worker.schedule(() -> attemptFullMap(machineKey, request, giveUpAt, result),
              NEW_NODE_POLL.toMillis(), TimeUnit.MILLISECONDS);
        } else {
          result.complete(Optional.empty());
        }
        return;
      }
      if (!machineKey.equals(node.get().machineKey())) {
        log.info("map refused: node key {} does not belong to machine {}", request.nodeKey(), machineKey);
        result.complete(Optional.empty());
        return;
      }
      long id = node.get().id();
      Instant now = clock.instant();
      boolean changed = false;
      if (!request.readOnly() && reportsSomething(request)) {
        NodeConnectivity before = t.connectivity().get(id);
        NodeConnectivity after = store.report(report(id, request, now));
        t = withConnectivity(t, after);
        changed = !sameReach(before, after);
        tellRoutes(id, before, after);
      }
      NodeMap map = builder.build(id, t, now);
      if (request.stream()) {
        sessions.put(request.nodeKey(), new Session(id, map));
      }
      result.complete(Optional.of(builder.full(map, t, now)));
      if (changed) {
        refresh();
      }
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  @Override
  public CompletableFuture<Boolean> liteUpdate(String machineKey, MapRequest request) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    worker.execute(() -> {
      try {
        Optional<NodeView> node = loader.load(streamingIds()).byNodeKey(request.nodeKey());
        if (node.isEmpty() || !machineKey.equals(node.get().machineKey())) {
          result.complete(false);
          return;
        }
        long id = node.get().id();
        NodeConnectivity before = store.find(id).orElse(null);
        NodeConnectivity after = store.report(report(id, request, clock.instant()));
        result.complete(true);
        tellRoutes(id, before, after);
        refresh();
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  @Override
  public void opened(String nodeKey) {
    worker.execute(() -> {
      Session s = sessions.get(nodeKey);
      if (s != null) {
        store.setOnline(s.nodeId, true, settings.instanceId(), clock.instant());
        refresh();
      }
    });
  }

  @Override
  public void closed(String nodeKey) {
    worker.execute(() -> {
      Session s = sessions.remove(nodeKey);
      if (s == null) {
        return;
      }
      worker.schedule(() -> {
        if (streams.of(nodeKey).isEmpty()) {
          store.setOnline(s.nodeId, false, settings.instanceId(), clock.instant());
          refresh();
        }
      }, OFFLINE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    });
  }

  /** An admin change happened at {@code at}: push it once the read models show it. */
  public void changed(Instant at) {
    worker.execute(() -> {
      // measured from the newest event: an older one whose change is already out (or changed nothing) must not
      // inflate the delay of the next
      if (pendingEventAt == null || at.isAfter(pendingEventAt)) {
        pendingEventAt = at;
      }
      boolean polling = pollUntil != null;
      pollUntil = clock.instant().plus(AFTER_EVENT_WINDOW);
      if (!polling) {
        worker.schedule(this::poll, AFTER_EVENT_POLL.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }

  /**
   * The read models follow the event store a moment later (tens of milliseconds to about a second), so the map is
   * refreshed every {@link #AFTER_EVENT_POLL} until the window ends; once a change went out, the window shrinks to
   * one more second (for the rest of a burst). One poller serves any burst of events.
   */
  private void poll() {
    int sent = refresh();
    Instant eventAt = pendingEventAt;
    if (sent > 0 && eventAt != null) {
      pendingEventAt = null;
      Duration delay = Duration.between(eventAt, clock.instant());
      log.debug("admin change reached {} map stream(s) {} ms after its event", sent, delay.toMillis());
      delayRecorder.accept(delay);
      // later events of the same burst may still be on their way; keep polling briefly for them
      pollUntil = min(pollUntil, clock.instant().plus(Duration.ofSeconds(1)));
    }
    if (pollUntil != null && clock.instant().isBefore(pollUntil)) {
      worker.schedule(this::poll, AFTER_EVENT_POLL.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      // an event that changed nothing any stream sees (or no stream at all) is no delay to measure
      pendingEventAt = null;
      pollUntil = null;
    }
  }

  /** Re-evaluates every open stream now (periodically: expiries that passed, heartbeats). */
  public void refreshNow() {
    worker.execute(this::refresh);
  }

  /** Node ids with an open stream here, for the heartbeat. */
  public CompletableFuture<Set<Long>> connectedNodes() {
    return CompletableFuture.supplyAsync(this::streamingIds, worker);
  }

  /** Sends every open stream what changed for it; answers how many streams got a message. */
  private int refresh() {
    Tailnet t;
    try {
      t = loader.load(streamingIds());
    } catch (RuntimeException e) {
      log.warn("map refresh skipped: {}", e.getMessage());
      return 0;
    }
    Instant now = clock.instant();
    int sent = 0;
    for (Map.Entry<String, Session> e : Map.copyOf(sessions).entrySet()) {
      Optional<MapStream> stream = streams.of(e.getKey());
      if (stream.isEmpty()) {
        continue;
      }
      Session s = e.getValue();
      NodeMap after = builder.build(s.nodeId, t, now);
      if (after == null || !e.getKey().equals(after.self().key())) {
        // deleted, or its key was rotated: this stream's node no longer exists, the client must start over
        log.debug("closing the map stream of node {}: node gone or key rotated", s.nodeId);
        sessions.remove(e.getKey());
        stream.get().close();
        continue;
      }
      MapResponse delta = builder.delta(s.sent, after, t, now);
      if (delta != null) {
        stream.get().send(delta);
        s.sent = after;
        sent++;
      }
    }
    return sent;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private Set<Long> streamingIds() {
    Set<Long> ids = new HashSet<>();
    sessions.forEach((key, s) -> {
      if (streams.of(key).isPresent()) {
        ids.add(s.nodeId);
      }
    });
    return ids;
  }

  private static boolean reportsSomething(MapRequest r) {
    return r.endpoints() != null || (r.hostinfo() != null && r.hostinfo().isObject()) || (r.discoKey() != null && !ZERO_DISCO.equals(r.discoKey()));
  }

  private ConnectivityReport report(long nodeId, MapRequest r, Instant now) {
    String hostinfo = null;
    Integer homeDerp = null;
    if (r.hostinfo() != null && r.hostinfo().isObject()) {
      try {
        hostinfo = TailcfgJson.MAPPER.writeValueAsString(r.hostinfo());
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("unreadable Hostinfo", e);
      }
      int preferred = r.hostinfo().path("NetInfo").path("PreferredDERP").asInt(0);
      if (preferred > 0) {
        homeDerp = preferred;
      }
    }
    return new ConnectivityReport(nodeId, r.endpoints(), r.discoKey(), homeDerp, hostinfo, settings.instanceId(),
        now);
  }

  private static Tailnet withConnectivity(Tailnet t, NodeConnectivity c) {
    Map<Long, NodeConnectivity> conn = new HashMap<>(t.connectivity());
    conn.put(c.nodeId(), c);
    return new Tailnet(t.nodes(), t.users(), t.policy(), Map.copyOf(conn), t.streaming());
  }

  private void tellRoutes(long nodeId, NodeConnectivity before, NodeConnectivity after) {
    List<String> was = routableIps(before);
    List<String> now = routableIps(after);
    if (now != null && !now.equals(was)) {
      try {
        routesAdvertiser.advertised(nodeId, now);
      } catch (RuntimeException e) {
        log.warn("advertised routes of node {} not passed on: {}", nodeId, e.getMessage());
      }
    }
  }

  private static List<String> routableIps(NodeConnectivity c) {
    if (c == null || c.hostinfo() == null) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode routes = TailcfgJson.MAPPER.readTree(c.hostinfo()).path("RoutableIPs");
      List<String> out = new java.util.ArrayList<>();
      routes.forEach(r -> out.add(r.asText()));
      return out.stream().sorted().toList();
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static boolean sameReach(NodeConnectivity a, NodeConnectivity b) {
    return a != null && b != null && a.endpoints().equals(b.endpoints())
        && java.util.Objects.equals(a.discoKey(), b.discoKey())
        && java.util.Objects.equals(a.homeDerp(), b.homeDerp())
        && java.util.Objects.equals(a.hostinfo(), b.hostinfo());
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
