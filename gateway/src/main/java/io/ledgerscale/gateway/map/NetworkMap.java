// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.ConnectivityReport;
import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.gateway.machine.MapSink;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.machine.NetworkMapSource;
import io.ledgerscale.gateway.tailcfg.DNSConfig;
import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node map served to clients, and the fan-out of every change to the open streams as deltas.
 *
 * <p>All map state lives on one worker thread: the tailnet as last read ({@link MapSnapshot}, with
 * the compiled policy) and what each stream was last sent. The tailnet is read once in full, then
 * kept current change by change: an admin change to one node re-reads that node only (after the
 * read models have processed its event, see {@link NetworkMapEvents}), updates the compiled policy
 * with {@link CompiledPolicy#withNode}, and rebuilds only the streams whose view it can change; a
 * connectivity change re-reads one connectivity row. A deletion drops the node from the compiled
 * policy ({@link CompiledPolicy#withoutNode}) and tells only the streams that saw it. A policy
 * change, a user change and the periodic refresh read everything again and re-evaluate every
 * stream.
 *
 * <p>This class takes the requests and notifications and hands them to the worker; the parts: what
 * the map holds ({@link MapState}, each stream a {@link MapSession}), read-model changes taken in
 * ({@link AdminChanges}), connectivity and presence taken in ({@link ConnectivityChanges}, client
 * reports read by {@link ReportedConnectivity}), first maps ({@link FirstMaps}), changes queued and
 * coalesced ({@link ChangeQueue}), passed on to the streams ({@link MapFanOut}), each stream's next
 * view ({@link StreamViews}).
 */
public final class NetworkMap implements NetworkMapSource, MapStreams.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkMap.class);

  /**
   * A just-registered node can lag in the map by the time its event takes to arrive; wait this long
   * before a 404.
   */
  static final Duration NEW_NODE_WAIT = Duration.ofSeconds(5);

  private static final Duration NEW_NODE_POLL = Duration.ofMillis(100);

  /** A client reconnecting within this window is not reported offline to its peers. */
  static final Duration OFFLINE_GRACE = Duration.ofSeconds(5);

  /** How often a node whose new stream is still being opened after the grace is looked at again. */
  static final Duration OFFLINE_RECHECK = Duration.ofSeconds(1);

  private final TailnetLoader loader;
  private final MapStreams streams;
  private final MapSettings settings;
  private final MapBuilder builder;
  private final Clock clock;
  private final ScheduledExecutorService worker;
  private final ConnectivityWriter writer;

  /** What the map holds (worker thread only). */
  private final MapState state;

  private final StreamViews views;
  private final MapFanOut fanOut;
  private final AdminChanges admin;
  private final ConnectivityChanges connectivity;
  private final FirstMaps firstMaps;

  /** Always set by NetworkMapAutoConfiguration; null only in unit tests that report nothing. */
  private ClientReports clientReports;

  private final Duration offlineGrace;

  /** Streams asked for and not answered yet, by node key. */
  private final Map<String, Integer> opening = new ConcurrentHashMap<>();

  public NetworkMap(
      TailnetLoader loader,
      ConnectivityStore store,
      MapStreams streams,
      MapSettings settings,
      Clock clock) {
    this(loader, store, streams, settings, clock, OFFLINE_GRACE);
  }

  NetworkMap(
      TailnetLoader loader,
      ConnectivityStore store,
      MapStreams streams,
      MapSettings settings,
      Clock clock,
      Duration offlineGrace) {
    this.offlineGrace = offlineGrace;
    this.loader = loader;
    this.streams = streams;
    this.settings = settings;
    this.clock = clock;
    MapBuilder builder = new MapBuilder(settings);
    this.builder = builder;
    this.writer = new ConnectivityWriter(store);
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "network-map");
              t.setDaemon(true);
              return t;
            });
    this.state = new MapState(loader, builder, clock);
    this.views = new StreamViews(builder);
    this.fanOut = new MapFanOut(state, views, builder, worker, settings, clock);
    this.admin = new AdminChanges(state, fanOut, loader, builder);
    this.firstMaps = new FirstMaps(state, builder, fanOut, clock, worker);
    this.connectivity =
        new ConnectivityChanges(state, fanOut, store, writer, settings, clock, worker);
    streams.addListener(this);
    store.onChange(connectivity::notified);
  }

  /**
   * Where the event → message delay goes besides the DEBUG log (a Micrometer timer in the server).
   */
  public void recordDelaysWith(Consumer<Duration> recorder) {
    fanOut.recordDelaysWith(recorder);
  }

  /** Where the number of streams each admin change reached goes (a distribution in the server). */
  public void recordFanOutWith(java.util.function.IntConsumer recorder) {
    fanOut.recordFanOutWith(recorder);
  }

  /** Who is told when a node's Hostinfo.RoutableIPs or Hostname change. */
  public void passClientReportsTo(ClientReports reports) {
    this.clientReports = reports;
  }

  @Override
  public CompletableFuture<Optional<MapResponse>> fullMap(String machineKey, MapRequest request) {
    return openStream(machineKey, request, null);
  }

  @Override
  public CompletableFuture<Optional<MapResponse>> openStream(
      String machineKey, MapRequest request, MapSink stream) {
    CompletableFuture<Optional<MapResponse>> result = new CompletableFuture<>();
    Instant giveUpAt = clock.instant().plus(NEW_NODE_WAIT);
    if (stream != null) {
      String key = request.nodeKey();
      opening.merge(key, 1, Integer::sum);
      result.whenComplete(
          (map, error) -> opening.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1));
    }
    worker.execute(() -> attemptFullMap(machineKey, request, stream, giveUpAt, result));
    return result;
  }

  private void attemptFullMap(
      String machineKey,
      MapRequest request,
      MapSink stream,
      Instant giveUpAt,
      CompletableFuture<Optional<MapResponse>> result) {
    try {
      Optional<NodeView> node = state.find(request.nodeKey());
      if (node.isEmpty()) {
        if (clock.instant().isBefore(giveUpAt)) {
          // a node registered a moment ago arrives with its event; until then, look again shortly
          worker.schedule(
              () -> attemptFullMap(machineKey, request, stream, giveUpAt, result),
              NEW_NODE_POLL.toMillis(),
              TimeUnit.MILLISECONDS);
          return;
        }
        // its event is late: take the node from the read model and pass it on like its event
        // would. Not a whole re-read: that would change what the map holds without telling the
        // streams, which then never learn of whatever else it took in.
        NodeView late = loader.nodeByKey(request.nodeKey());
        if (late != null) {
          admin.adopt(late, null);
        }
        node = state.find(request.nodeKey());
        if (node.isEmpty()) {
          result.complete(Optional.empty());
          return;
        }
      }
      if (!machineKey.equals(node.get().machineKey())) {
        log.info(
            "map refused: node key {} does not belong to machine {}",
            request.nodeKey(),
            machineKey);
        result.complete(Optional.empty());
        return;
      }
      long id = node.get().id();
      Instant now = clock.instant();
      if (!request.readOnly() && ReportedConnectivity.reportsSomething(request)) {
        NodeConnectivity before = state.current.connectivity().get(id);
        ConnectivityReport report =
            ReportedConnectivity.report(id, request, settings.instanceId(), now);
        NodeConnectivity after = report.applyTo(before);
        writer.write(report);
        state.current = state.current.withConnectivity(id, after);
        if (!ReportedConnectivity.sameReach(before, after)) {
          // queued before anything below can fail: the map now holds the report, and a
          // notification of it will find nothing new to pass on. The stream's first map holds
          // it (the stream is told only later changes).
          fanOut.sendChangeOf(id, state.updatePolicyFor(id), null, false);
        }
        ReportedConnectivity.tell(clientReports, id, before, after, state.current.nodes().get(id));
      }
      firstMaps.ask(request.nodeKey(), id, stream, result);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  @Override
  public CompletableFuture<Boolean> liteUpdate(String machineKey, MapRequest request) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    worker.execute(
        () -> {
          try {
            Optional<NodeView> node = state.find(request.nodeKey());
            if (node.isEmpty() || !machineKey.equals(node.get().machineKey())) {
              result.complete(false);
              return;
            }
            long id = node.get().id();
            NodeConnectivity before = state.current.connectivity().get(id);
            ConnectivityReport report =
                ReportedConnectivity.report(id, request, settings.instanceId(), clock.instant());
            NodeConnectivity after = report.applyTo(before);
            writer.write(report);
            result.complete(true);
            ReportedConnectivity.tell(
                clientReports, id, before, after, state.current.nodes().get(id));
            connectivity.connectivityOf(id, after);
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  @Override
  public void opened(String nodeKey, MapSink stream) {
    worker.execute(
        () -> {
          MapSession s = state.sessions.get(stream);
          if (s != null) {
            s.open = true;
            connectivity.present(s.nodeId, true);
          }
        });
  }

  @Override
  public void closed(String nodeKey, MapSink stream, boolean wasCurrent) {
    worker.execute(
        () -> {
          MapSession s = state.sessions.remove(stream);
          if (s == null || !wasCurrent) {
            // a replaced stream: its node is still connected through the newer one
            return;
          }
          worker.schedule(
              () -> offlineUnlessBack(nodeKey, s.nodeId),
              offlineGrace.toMillis(),
              TimeUnit.MILLISECONDS);
        });
  }

  /**
   * A node whose stream ended is offline once the grace is over, unless it has a stream again or
   * one on the way: asked for and not answered yet, or answered and not yet registered. In a
   * fleet's reconnect the server may take longer than the grace to answer everyone, and a node
   * reported offline and then online again is two changes for every other stream (worker thread).
   */
  private void offlineUnlessBack(String nodeKey, long nodeId) {
    if (!streams.of(nodeKey).isEmpty()) {
      return;
    }
    if (opening.containsKey(nodeKey) || state.hasSession(nodeId)) {
      worker.schedule(
          () -> offlineUnlessBack(nodeKey, nodeId),
          OFFLINE_RECHECK.toMillis(),
          TimeUnit.MILLISECONDS);
      return;
    }
    connectivity.present(nodeId, false);
  }

  /**
   * One node changed in the read model (registered, re-authenticated, tagged, renamed, transferred,
   * expired, routes approved) by an event at {@code at}, which the read models have processed:
   * re-read that node and tell the streams whose view it changes.
   */
  public void nodeChanged(long nodeId, Instant at) {
    worker.execute(() -> admin.nodeChanged(nodeId, at));
  }

  /**
   * Something that may concern every node changed (policy, users, a deletion) at {@code at}: read
   * it all again.
   */
  public void changed(Instant at) {
    worker.execute(() -> admin.changed(at));
  }

  /**
   * The DNS extra records are now {@code records} (the server's {@code dns.extra_records}, or its
   * file changed): streams opened from now on get them in their first message, and every open
   * stream gets the new DNS configuration at once.
   */
  public void extraDnsRecords(List<DNSConfig.DNSRecord> records) {
    List<DNSConfig.DNSRecord> copy = List.copyOf(records);
    worker.execute(
        () -> {
          builder.extraRecords(copy);
          MapResponse update = builder.dnsUpdate();
          state.sessions.values().forEach(s -> s.sink.send(update));
        });
  }

  /**
   * A node was deleted (its event, read straight from the event store): its own streams end now,
   * before the read models have caught up, so a deleted node is sent nothing more even while they
   * lag. A new map request of that node is refused by its events ({@code MapHandler}).
   */
  public void endStreamsOf(long nodeId) {
    worker.execute(
        () -> {
          for (MapSession s : List.copyOf(state.sessions.values())) {
            if (s.nodeId == nodeId) {
              fanOut.end(s);
            }
          }
        });
  }

  /**
   * A node was deleted by an event at {@code at}, which the read models have processed: the
   * compiled policy drops it ({@link CompiledPolicy#withoutNode}), its own stream is closed, every
   * stream that saw it is told it is gone, and only the filters the deletion changes are sent.
   */
  public void nodeDeleted(long nodeId, Instant at) {
    worker.execute(() -> admin.nodeDeleted(nodeId, at));
  }

  /**
   * A user was renamed or deleted by an event at {@code at}, which the read models have processed.
   * Users reach a view as UserProfiles and, through the policy, as the owners its tokens name: the
   * users are read again and, unless the policy names a changed user differently ({@link
   * CompiledPolicy#withUsers}, then every stream is re-evaluated), only the streams showing a
   * changed user's profile get the new profile.
   */
  public void usersChanged(Instant at) {
    worker.execute(() -> admin.usersChanged(at));
  }

  /**
   * Re-reads everything and passes on what changed since the last read (periodically: key expiries
   * that passed, and anything a lost notification kept from the map). Only the nodes that differ
   * are re-evaluated, as one-node changes; a different policy, user list or node set re-evaluates
   * every stream.
   */
  public void refreshNow() {
    worker.execute(admin::refreshChanged);
  }

  /**
   * Whether nothing is due: no flush but one waiting for the batch delay, no connectivity
   * notification or write outstanding (for tests that wait for the map to settle).
   */
  CompletableFuture<Boolean> quiet() {
    return CompletableFuture.supplyAsync(
        () -> fanOut.idle() && connectivity.idle() && writer.idle(), worker);
  }

  /** How many node changes were queued for the streams so far (for tests). */
  CompletableFuture<Long> changesQueued() {
    return CompletableFuture.supplyAsync(fanOut::changesQueued, worker);
  }

  /** Node ids with an open stream here, for the heartbeat. */
  public CompletableFuture<Set<Long>> connectedNodes() {
    return CompletableFuture.supplyAsync(state::streamingIds, worker);
  }

  @Override
  public void close() {
    worker.shutdownNow();
    writer.close();
    views.close();
  }
}
