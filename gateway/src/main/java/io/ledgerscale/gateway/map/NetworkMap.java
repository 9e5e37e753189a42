// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ledgerscale.domain.api.connectivity.ConnectivityReport;
import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.connectivity.PresenceChange;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.gateway.machine.MapSink;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.machine.NetworkMapSource;
import io.ledgerscale.gateway.tailcfg.DNSConfig;
import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node map served to clients, and the fan-out of every change to the open streams as deltas.
 *
 * <p>All map state lives on one worker thread: the tailnet as last read ({@link Tailnet}, with the
 * compiled policy) and what each stream was last sent. The tailnet is read once in full, then kept
 * current change by change: an admin change to one node re-reads that node only (after the read
 * models have processed its event, see {@link NetworkMapEvents}), updates the compiled policy with
 * {@link CompiledPolicy#withNode}, and rebuilds only the streams whose view it can change; a
 * connectivity change re-reads one connectivity row. A deletion drops the node from the compiled
 * policy ({@link CompiledPolicy#withoutNode}) and tells only the streams that saw it. A policy
 * change, a user change and the periodic refresh read everything again and re-evaluate every
 * stream.
 */
public final class NetworkMap implements NetworkMapSource, MapStreams.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkMap.class);

  /**
   * A just-registered node can lag in the map by the time its event takes to arrive; wait this long
   * before a 404.
   */
  static final Duration NEW_NODE_WAIT = Duration.ofSeconds(5);

  private static final Duration NEW_NODE_POLL = Duration.ofMillis(100);

  /**
   * Below this many streams to evaluate, handing them to other threads costs more than it saves.
   */
  private static final int PARALLEL_FROM = 64;

  /** A client reconnecting within this window is not reported offline to its peers. */
  static final Duration OFFLINE_GRACE = Duration.ofSeconds(5);

  private final TailnetLoader loader;
  private final ConnectivityStore store;
  private final MapStreams streams;
  private final MapSettings settings;
  private final MapBuilder builder;
  private final Clock clock;
  private final ScheduledExecutorService worker;
  private final ConnectivityWriter writer;

  /** Where a complete re-evaluation builds the streams' views, on every core. */
  private final ForkJoinPool views;

  /**
   * Every map stream this instance serves, by the stream itself: a reconnecting client has two for
   * a moment, each with its own view, and the end of one must never end the other's updates.
   */
  private final Map<MapSink, Session> sessions = new IdentityHashMap<>();

  /**
   * Node changes not passed on yet: each changed node, with the nodes whose packet filter its
   * change may alter. Which streams a change concerns is worked out once, at the next {@link
   * #flush}, on every core: a fleet connecting is a change per node for every stream.
   */
  private final Map<Long, Set<Long>> pending = new LinkedHashMap<>();

  /**
   * The pending nodes whose read-model view changed (not only their connectivity): their own
   * streams are rebuilt. A node whose connectivity alone changed keeps whom it sees and its filter,
   * so its own streams get a new self entry with the other changes instead.
   */
  private final Set<Long> pendingViews = new HashSet<>();

  /** Event times of the admin changes waiting in {@link #pending}, for the delay metric. */
  private final List<Instant> pendingSince = new ArrayList<>();

  private boolean flushQueued;

  /** The queued flush waits for the batch delay (it is not due yet). */
  private boolean flushDelayed;

  private long lastFlushNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

  /**
   * Nodes whose connectivity row changed and is not re-read yet; one worker task drains any number
   * of them.
   */
  private final Set<Long> connectivityChanged = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean connectivityQueued = new AtomicBoolean();

  /** The tailnet as last read; only touched on the worker; null until first needed. */
  private Tailnet current;

  /** {@link #current}'s nodes by node key, and the node map that index was built from. */
  private Map<String, NodeView> byKey = Map.of();

  private Map<Long, NodeView> byKeyOf;

  /** When {@link #current} was last read in full. */
  private Instant lastReadAt;

  // metrics are optional (a context without Micrometer, unit tests): recording nothing is right
  private Consumer<Duration> delayRecorder = d -> {};
  private java.util.function.IntConsumer fanOutRecorder = n -> {};

  /** Always set by NetworkMapAutoConfiguration; null only in unit tests that report nothing. */
  private ClientReports clientReports;

  /**
   * One map stream: its node, where its messages go, what it was last sent, and what changed for it
   * since (coalesced until the next {@link #flush}).
   */
  private static final class Session {
    final String nodeKey;
    final long nodeId;
    final MapSink sink;
    NodeMap sent;

    /** Registered as its node's stream (the node counts as connected here). */
    boolean open;

    Session(String nodeKey, long nodeId, MapSink sink, NodeMap sent) {
      this.nodeKey = nodeKey;
      this.nodeId = nodeId;
      this.sink = sink;
      this.sent = sent;
    }
  }

  public NetworkMap(
      TailnetLoader loader,
      ConnectivityStore store,
      MapStreams streams,
      MapSettings settings,
      Clock clock) {
    this.loader = loader;
    this.store = store;
    this.streams = streams;
    this.settings = settings;
    this.builder = new MapBuilder(settings);
    this.clock = clock;
    this.writer = new ConnectivityWriter(store);
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "network-map");
              t.setDaemon(true);
              return t;
            });
    this.views =
        new ForkJoinPool(
            Runtime.getRuntime().availableProcessors(),
            pool -> {
              ForkJoinWorkerThread t =
                  ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
              t.setName("network-map-views-" + t.getPoolIndex());
              t.setDaemon(true);
              return t;
            },
            null,
            false);
    streams.addListener(this);
    // another instance (or this one) changed a node's connectivity: one task re-reads every row
    // notified meanwhile
    store.onChange(
        nodeId -> {
          connectivityChanged.add(nodeId);
          if (connectivityQueued.compareAndSet(false, true)) {
            worker.execute(this::drainConnectivity);
          }
        });
  }

  /**
   * Where the event → message delay goes besides the DEBUG log (a Micrometer timer in the server).
   */
  public void recordDelaysWith(Consumer<Duration> recorder) {
    this.delayRecorder = recorder;
  }

  /** Where the number of streams each admin change reached goes (a distribution in the server). */
  public void recordFanOutWith(java.util.function.IntConsumer recorder) {
    this.fanOutRecorder = recorder;
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
      Optional<NodeView> node = find(request.nodeKey());
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
          adopt(late, null);
        }
        node = find(request.nodeKey());
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
      if (!request.readOnly() && reportsSomething(request)) {
        NodeConnectivity before = current.connectivity().get(id);
        ConnectivityReport report = report(id, request, now);
        NodeConnectivity after = report.applyTo(before);
        writer.write(report);
        current = current.withConnectivity(id, after);
        if (!sameReach(before, after)) {
          // queued before anything below can fail: the map now holds the report, and a
          // notification of it will find nothing new to pass on. The flush runs after this task,
          // when this stream's session exists.
          sendChangeOf(id, updatePolicyFor(id), null, false);
        }
        tellReports(id, before, after);
      }
      Tailnet t = tailnet();
      NodeMap map = builder.build(id, t, now);
      if (stream != null) {
        sessions.put(stream, new Session(request.nodeKey(), id, stream, map));
      }
      result.complete(Optional.of(builder.full(map, t, now)));
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
            Optional<NodeView> node = find(request.nodeKey());
            if (node.isEmpty() || !machineKey.equals(node.get().machineKey())) {
              result.complete(false);
              return;
            }
            long id = node.get().id();
            NodeConnectivity before = current.connectivity().get(id);
            ConnectivityReport report = report(id, request, clock.instant());
            NodeConnectivity after = report.applyTo(before);
            writer.write(report);
            result.complete(true);
            tellReports(id, before, after);
            connectivityOf(id, after);
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
          Session s = sessions.get(stream);
          if (s != null) {
            s.open = true;
            present(s.nodeId, true);
          }
        });
  }

  @Override
  public void closed(String nodeKey, MapSink stream, boolean wasCurrent) {
    worker.execute(
        () -> {
          Session s = sessions.remove(stream);
          if (s == null || !wasCurrent) {
            // a replaced stream: its node is still connected through the newer one
            return;
          }
          worker.schedule(
              () -> {
                if (streams.of(nodeKey).isEmpty()) {
                  present(s.nodeId, false);
                }
              },
              OFFLINE_GRACE.toMillis(),
              TimeUnit.MILLISECONDS);
        });
  }

  /** The node's session here opened or ended: stored behind, passed on now. */
  private void present(long nodeId, boolean online) {
    PresenceChange change =
        new PresenceChange(nodeId, online, settings.instanceId(), clock.instant());
    writer.write(change);
    if (current != null) {
      connectivityOf(nodeId, change.applyTo(current.connectivity().get(nodeId)));
    }
  }

  /**
   * One node changed in the read model (registered, re-authenticated, tagged, renamed, transferred,
   * expired, routes approved) by an event at {@code at}, which the read models have processed:
   * re-read that node and tell the streams whose view it changes.
   */
  public void nodeChanged(long nodeId, Instant at) {
    worker.execute(
        () -> {
          try {
            if (current == null) {
              reload();
              recordDelay(at, refreshAll());
              return;
            }
            NodeView view = loader.node(nodeId);
            if (view == null) {
              // gone meanwhile (its deletion follows as an event of its own): start from a complete
              // read
              reload();
              recordDelay(at, refreshAll());
              return;
            }
            adopt(view, at);
          } catch (RuntimeException e) {
            log.warn(
                "map update for node {} failed, reading the whole tailnet: {}",
                nodeId,
                e.toString());
            reloadAndRefresh();
          }
        });
  }

  /**
   * Takes in one node's read-model view (with its owner, if new to the map) and queues the change
   * for the streams it concerns.
   */
  private void adopt(NodeView view, Instant at) {
    if (!view.owner().isTagged() && !current.users().containsKey(view.userId())) {
      current = current.withUsers(loader.users());
    }
    current = current.withNode(view);
    Set<Long> rebuild = updatePolicyFor(view.id());
    sendChangeOf(view.id(), rebuild, at, true);
  }

  /**
   * Something that may concern every node changed (policy, users, a deletion) at {@code at}: read
   * it all again.
   */
  public void changed(Instant at) {
    worker.execute(
        () -> {
          if (reload()) {
            recordDelay(at, refreshAll());
          }
        });
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
          sessions.values().forEach(s -> s.sink.send(update));
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
          for (Session s : List.copyOf(sessions.values())) {
            if (s.nodeId == nodeId) {
              end(s);
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
    worker.execute(
        () -> {
          try {
            if (current == null) {
              reloadAndRefresh();
              return;
            }
            if (!current.nodes().containsKey(nodeId)) {
              // a complete read already left it out, and passed that on
              return;
            }
            if (loader.node(nodeId) != null) {
              // the read model still has it (re-created meanwhile?): trust a complete read
              recordDelay(at, reloadAndRefresh());
              return;
            }
            current = current.withoutNode(nodeId);
            Set<Long> rebuild = Set.of();
            if (current.policy() != null) {
              CompiledPolicy.Recompiled r = current.policy().withoutNode(nodeId);
              current = current.withPolicy(r.policy());
              loader.adopt(r.policy());
              rebuild = r.affectedNodes();
            }
            builder.retainPeers(current.nodes().keySet());
            sendChangeOf(nodeId, rebuild, at, true);
          } catch (RuntimeException e) {
            log.warn(
                "map update for deleted node {} failed, reading the whole tailnet: {}",
                nodeId,
                e.toString());
            reloadAndRefresh();
          }
        });
  }

  /**
   * A user was renamed or deleted by an event at {@code at}, which the read models have processed.
   * Users reach a view as UserProfiles and, through the policy, as the owners its tokens name: the
   * users are read again and, unless the policy names a changed user differently ({@link
   * CompiledPolicy#withUsers}, then every stream is re-evaluated), only the streams showing a
   * changed user's profile get the new profile.
   */
  public void usersChanged(Instant at) {
    worker.execute(
        () -> {
          try {
            if (current == null) {
              recordDelay(at, reloadAndRefresh());
              return;
            }
            List<UserView> users = loader.users();
            Map<Long, UserView> before = current.users();
            current = current.withUsers(users);
            Set<Long> changed = new HashSet<>();
            current
                .users()
                .forEach(
                    (id, u) -> {
                      if (!u.equals(before.get(id))) {
                        changed.add(id);
                      }
                    });
            before.keySet().stream()
                .filter(id -> !current.users().containsKey(id))
                .forEach(changed::add);
            if (changed.isEmpty()) {
              return;
            }
            // the nodes read model names each node's owner: re-read the changed users' nodes
            for (NodeView v : List.copyOf(current.nodes().values())) {
              if (changed.contains(v.userId())) {
                NodeView fresh = loader.node(v.id());
                if (fresh == null) {
                  recordDelay(at, reloadAndRefresh());
                  return;
                }
                current = current.withNode(fresh);
              }
            }
            if (current.policy() != null) {
              CompiledPolicy.Recompiled r =
                  current
                      .policy()
                      .withUsers(users.stream().map(TailnetLoader::tailnetUser).toList());
              current = current.withPolicy(r.policy());
              loader.adopt(r.policy());
              if (!r.affectedNodes().isEmpty()) {
                recordDelay(at, refreshAll());
                return;
              }
            }
            recordDelay(at, sendProfiles(changed));
          } catch (RuntimeException e) {
            log.warn(
                "map update for a user change failed, reading the whole tailnet: {}", e.toString());
            reloadAndRefresh();
          }
        });
  }

  /** Sends the new profiles of changed users to the streams that show them. */
  private int sendProfiles(Set<Long> users) {
    Tailnet t = tailnet();
    Instant now = clock.instant();
    int sent = 0;
    for (Session s : sessions.values()) {
      MapBuilder.Patched p = builder.patchProfiles(s.sent, users, t, now);
      s.sent = p.commit();
      if (p.delta() != null) {
        s.sink.send(p.delta());
        sent++;
      }
    }
    return sent;
  }

  /**
   * Re-reads everything and passes on what changed since the last read (periodically: key expiries
   * that passed, and anything a lost notification kept from the map). Only the nodes that differ
   * are re-evaluated, as one-node changes; a different policy, user list or node set re-evaluates
   * every stream.
   */
  public void refreshNow() {
    worker.execute(this::refreshChanged);
  }

  private void refreshChanged() {
    Tailnet before = current;
    Instant since = lastReadAt;
    if (before == null) {
      reloadAndRefresh();
      return;
    }
    if (!reload()) {
      return;
    }
    Tailnet after = current;
    if (after.policy() != before.policy()
        || !after.users().equals(before.users())
        || !after.nodes().keySet().equals(before.nodes().keySet())) {
      refreshAll();
      return;
    }
    Instant now = lastReadAt;
    for (NodeView v : after.nodes().values()) {
      boolean expiredMeanwhile =
          v.expiry() != null && v.expiry().isAfter(since) && !v.expiry().isAfter(now);
      NodeConnectivity was = before.connectivity().get(v.id());
      NodeConnectivity is = after.connectivity().get(v.id());
      boolean reachChanged =
          !(was == null && is == null) && !(sameReach(was, is) && was.online() == is.online());
      if (expiredMeanwhile || reachChanged || !v.equals(before.nodes().get(v.id()))) {
        sendChangeOf(v.id(), Set.of(), null, true);
      }
    }
  }

  /**
   * Whether nothing is due: no flush but one waiting for the batch delay, no connectivity
   * notification or write outstanding (for tests that wait for the map to settle).
   */
  CompletableFuture<Boolean> quiet() {
    return CompletableFuture.supplyAsync(
        () ->
            (!flushQueued || flushDelayed)
                && !connectivityQueued.get()
                && connectivityChanged.isEmpty()
                && writer.idle(),
        worker);
  }

  /** Node ids with an open stream here, for the heartbeat. */
  public CompletableFuture<Set<Long>> connectedNodes() {
    return CompletableFuture.supplyAsync(this::streamingIds, worker);
  }

  private int reloadAndRefresh() {
    return reload() ? refreshAll() : 0;
  }

  private void recordDelay(Instant eventAt, int sent) {
    if (eventAt != null) {
      fanOutRecorder.accept(sent);
    }
    if (sent > 0 && eventAt != null) {
      Duration delay = Duration.between(eventAt, clock.instant());
      log.debug(
          "admin change reached {} map stream(s) {} ms after its event", sent, delay.toMillis());
      delayRecorder.accept(delay);
    }
  }

  /**
   * Reads the whole tailnet again; false (and the old state kept) when the read models cannot be
   * read.
   */
  private boolean reload() {
    try {
      Instant at = clock.instant();
      Tailnet before = current;
      current = loader.load(Set.of());
      if (before != null) {
        // rows this instance wrote that the store may not hold yet (ConnectivityWriter)
        current = current.withRowsNotOlderThan(before.connectivity());
      }
      lastReadAt = at;
      builder.retainPeers(current.nodes().keySet());
      return true;
    } catch (RuntimeException e) {
      log.warn("map refresh skipped: {}", e.getMessage());
      return false;
    }
  }

  /** The tailnet as last read, with this instance's open streams; read in full the first time. */
  private Tailnet tailnet() {
    if (current == null && !reload()) {
      throw new IllegalStateException("the tailnet cannot be read");
    }
    return current.withStreaming(streamingIds());
  }

  /**
   * The node holding this key, through an index of the nodes as last read (every map request and
   * lite update looks a node up; a scan of every node each time made connecting all streams
   * quadratic).
   */
  private Optional<NodeView> find(String nodeKey) {
    if (current == null && !reload()) {
      throw new IllegalStateException("the tailnet cannot be read");
    }
    if (byKeyOf != current.nodes()) {
      Map<String, NodeView> index = new HashMap<>();
      current.nodes().values().forEach(v -> index.putIfAbsent(v.nodeKey(), v));
      byKey = index;
      byKeyOf = current.nodes();
    }
    return Optional.ofNullable(byKey.get(nodeKey));
  }

  /**
   * Brings the compiled policy up to date with one node's read-model view and connectivity (tags,
   * owner, addresses, routes); answers the nodes whose packet filter may have changed with it.
   * Their peer lists can only have changed in that one node, which {@link #sendChangeOf} tells
   * every viewer about anyway.
   */
  private Set<Long> updatePolicyFor(long nodeId) {
    CompiledPolicy policy = current.policy();
    NodeView view = current.nodes().get(nodeId);
    if (policy == null || view == null) {
      return Set.of();
    }
    TailnetNode node = TailnetLoader.tailnetNode(view, current.connectivity().get(nodeId));
    if (node.equals(policy.snapshot().node(nodeId))) {
      return Set.of();
    }
    CompiledPolicy.Recompiled r = policy.withNode(node);
    current = current.withPolicy(r.policy());
    loader.adopt(r.policy());
    return r.affectedNodes();
  }

  /**
   * Queues one node's change for the streams it concerns, sent with the next {@link #flush}: the
   * node's own streams are rebuilt; every other stream that sees the node, or saw it, gets it as a
   * changed peer, and the streams in {@code filtersChanged} (and all, when the policy has SSH
   * rules, whose principals are node addresses) get their filter and SSH policy re-assembled.
   * {@code at} is the admin event's time, if one caused it; {@code viewChanged} says the node's
   * read-model view changed, not only its connectivity.
   */
  private void sendChangeOf(
      long nodeId, Set<Long> filtersChanged, Instant at, boolean viewChanged) {
    pending.merge(
        nodeId,
        filtersChanged,
        (a, b) -> {
          Set<Long> both = new HashSet<>(a);
          both.addAll(b);
          return both;
        });
    if (viewChanged) {
      pendingViews.add(nodeId);
    }
    if (at != null) {
      pendingSince.add(at);
    }
    scheduleFlush();
  }

  /**
   * At most one flush per {@link MapSettings#batchChangeDelay}: the first change after a quiet
   * spell goes out at once, the changes of a burst wait for the next flush and go out together.
   */
  private void scheduleFlush() {
    if (flushQueued) {
      return;
    }
    flushQueued = true;
    long waitNanos = lastFlushNanos + settings.batchChangeDelay().toNanos() - System.nanoTime();
    flushDelayed = waitNanos > 0;
    if (waitNanos <= 0) {
      worker.execute(this::flush);
    } else {
      worker.schedule(this::flush, waitNanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Sends each stream one message with every queued change it is concerned by. The views are
   * computed on all cores ({@link #views}): each stream's view is its own, the tailnet is
   * immutable; what is sent, and each stream's last view, is applied here on the worker.
   */
  private void flush() {
    flushQueued = false;
    lastFlushNanos = System.nanoTime();
    List<Instant> since = List.copyOf(pendingSince);
    pendingSince.clear();
    if (pending.isEmpty() || current == null) {
      pending.clear();
      pendingViews.clear();
      return;
    }
    Map<Long, Set<Long>> queued = new LinkedHashMap<>(pending);
    Set<Long> views = Set.copyOf(pendingViews);
    pending.clear();
    pendingViews.clear();
    int sent;
    try {
      // inside the try: a policy that cannot answer who sees a node must not drop the changes
      Changes changes = new Changes(queued, views, current.policy());
      List<Session> all = List.copyOf(sessions.values());
      sent = apply(all, evaluate(all, (s, t, now) -> changesFor(s, changes, t, now)));
    } catch (RuntimeException e) {
      log.warn("passing on queued map changes failed, reading the whole tailnet: {}", e.toString());
      sent = reloadAndRefresh();
    }
    for (Instant at : since) {
      recordDelay(at, sent);
    }
  }

  /**
   * The node changes of one flush, with who may see each changed node (asked of the policy once per
   * node, not once per stream) and the union of the filters they may change.
   */
  private static final class Changes {
    final Map<Long, Set<Long>> filtersByNode;
    final Set<Long> viewsChanged;
    final Map<Long, Set<Long>> seenBy = new HashMap<>();
    final Set<Long> filtersChanged = new HashSet<>();
    final boolean everyRuleSet;

    Changes(Map<Long, Set<Long>> filtersByNode, Set<Long> viewsChanged, CompiledPolicy policy) {
      this.filtersByNode = filtersByNode;
      this.viewsChanged = viewsChanged;
      // SSH principals are node addresses: with SSH rules, any node change may alter any SSH policy
      this.everyRuleSet = policy != null && !policy.policy().ssh().isEmpty();
      filtersByNode.forEach(
          (id, filters) -> {
            filtersChanged.addAll(filters);
            if (policy != null) {
              // visibility is symmetric: whoever may see the changed node is among its own peers
              seenBy.put(id, policy.peersOf(id));
            }
          });
    }

    boolean seenBy(long nodeId, long viewerId) {
      Set<Long> viewers = seenBy.get(nodeId);
      return viewers == null || viewers.contains(viewerId);
    }
  }

  /**
   * One stream's view with the changes that concern it, and the delta that tells the client; the
   * stream's view unchanged (no delta) when none does; null when its node is gone.
   */
  private MapBuilder.Patched changesFor(Session s, Changes changes, Tailnet t, Instant now) {
    Set<Long> ownFilters = changes.filtersByNode.get(s.nodeId);
    boolean own = ownFilters != null;
    if (own && (changes.viewsChanged.contains(s.nodeId) || !ownFilters.isEmpty())) {
      // its tags, owner, addresses, expiry or policy standing: whom it sees may have changed
      return rebuilt(s, t, now);
    }
    boolean rules = changes.everyRuleSet || changes.filtersChanged.contains(s.nodeId);
    Map<Long, Boolean> visible = new HashMap<>();
    for (Long nodeId : changes.filtersByNode.keySet()) {
      if (nodeId == s.nodeId) {
        continue;
      }
      boolean sees = changes.seenBy(nodeId, s.nodeId);
      if (sees || s.sent.peers().containsKey(nodeId)) {
        visible.put(nodeId, sees);
      }
    }
    if (visible.isEmpty() && !rules && !own) {
      return new MapBuilder.Patched(s.sent, null);
    }
    MapBuilder.Patched p = builder.patchPeers(s.sent, s.nodeId, visible, rules, own, t, now);
    return p == null ? rebuilt(s, t, now) : p;
  }

  /** The stream's view built afresh, or null when its node is gone or was re-keyed. */
  private MapBuilder.Patched rebuilt(Session s, Tailnet t, Instant now) {
    NodeMap after = builder.build(s.nodeId, t, now);
    if (after == null || !s.nodeKey.equals(after.self().key())) {
      return null;
    }
    return new MapBuilder.Patched(after, builder.delta(s.sent, after, t, now));
  }

  private interface View {
    MapBuilder.Patched of(Session s, Tailnet t, Instant now);
  }

  /** Each session's next view, computed in parallel when there are many. */
  private MapBuilder.Patched[] evaluate(List<Session> batch, View view) {
    Tailnet t = tailnet();
    Instant now = clock.instant();
    MapBuilder.Patched[] out = new MapBuilder.Patched[batch.size()];
    if (batch.size() < PARALLEL_FROM) {
      for (int i = 0; i < out.length; i++) {
        out[i] = view.of(batch.get(i), t, now);
      }
      return out;
    }
    Runnable all =
        () ->
            IntStream.range(0, out.length)
                .parallel()
                .forEach(i -> out[i] = view.of(batch.get(i), t, now));
    try {
      views.submit(all).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    return out;
  }

  /**
   * Sends what {@link #evaluate} found and keeps each stream's new view; a stream whose node is
   * gone or was re-keyed ends (the client must start over). Answers how many streams got a message.
   */
  private int apply(List<Session> batch, MapBuilder.Patched[] next) {
    int sent = 0;
    for (int i = 0; i < next.length; i++) {
      Session s = batch.get(i);
      if (sessions.get(s.sink) != s) {
        // ended meanwhile
        continue;
      }
      if (next[i] == null) {
        log.debug("closing the map stream of node {}: node gone or key rotated", s.nodeId);
        end(s);
      } else {
        s.sent = next[i].commit();
        if (next[i].delta() != null) {
          s.sink.send(next[i].delta());
          sent++;
        }
      }
    }
    return sent;
  }

  /** Ends one stream: nothing more is sent to it. */
  private void end(Session s) {
    sessions.remove(s.sink);
    s.sink.close();
  }

  /**
   * Sends every stream what changed for it (a complete re-evaluation, which also covers whatever
   * was queued for it); answers how many streams got a message.
   */
  private int refreshAll() {
    if (current == null) {
      return 0;
    }
    // every view is rebuilt from the tailnet as it is now, which already holds what was queued
    pending.clear();
    pendingViews.clear();
    List<Session> all = List.copyOf(sessions.values());
    return apply(all, evaluate(all, this::rebuilt));
  }

  /**
   * Connectivity rows notified as changed (by this instance or another): re-read each and pass it
   * on.
   */
  private void drainConnectivity() {
    connectivityQueued.set(false);
    Set<Long> ids = new HashSet<>(connectivityChanged);
    connectivityChanged.removeAll(ids);
    if (current == null) {
      return;
    }
    Map<Long, NodeConnectivity> rows;
    try {
      rows = store.findAll(ids);
    } catch (RuntimeException e) {
      log.warn("connectivity of {} node(s) not passed on: {}", ids.size(), e.getMessage());
      return;
    }
    for (Long id : ids) {
      NodeConnectivity row = rows.get(id);
      NodeConnectivity known = current.connectivity().get(id);
      if (row != null && known != null && !Tailnet.storedLater(row, known)) {
        // this instance's own write coming back, or one older than what it holds
        continue;
      }
      connectivityOf(id, row);
    }
  }

  /**
   * One node's connectivity is now {@code c}: tell the streams that see it, if anything they see
   * changed.
   */
  private void connectivityOf(long nodeId, NodeConnectivity c) {
    if (current == null) {
      reloadAndRefresh();
      return;
    }
    NodeConnectivity before = current.connectivity().get(nodeId);
    current = current.withConnectivity(nodeId, c);
    if (sameReach(before, c) && before.online() == c.online()) {
      // a heartbeat or an owner change of the session: nothing a peer sees
      return;
    }
    Set<Long> rebuild = sameRoutes(before, c) ? Set.of() : updatePolicyFor(nodeId);
    sendChangeOf(nodeId, rebuild, null, false);
    if (before == null || before.online() != c.online()) {
      otherRoutersOf(nodeId);
    }
  }

  /**
   * A router coming or going can move a route's primary to another router, which streams that do
   * not see this one may show: the other routers count as changed too.
   */
  private void otherRoutersOf(long nodeId) {
    if (current.policy() == null || current.policy().servedRoutes(nodeId).isEmpty()) {
      return;
    }
    for (Long other : current.policy().servedRoutesByNode().keySet()) {
      if (other != nodeId) {
        sendChangeOf(other, Set.of(), null, false);
      }
    }
  }

  private static boolean sameRoutes(NodeConnectivity a, NodeConnectivity b) {
    return java.util.Objects.equals(routableIps(a), routableIps(b));
  }

  private Set<Long> streamingIds() {
    Set<Long> ids = new HashSet<>();
    for (Session s : sessions.values()) {
      if (s.open) {
        ids.add(s.nodeId);
      }
    }
    return ids;
  }

  private static boolean reportsSomething(MapRequest r) {
    return r.endpoints() != null
        || (r.hostinfo() != null && r.hostinfo().isObject())
        || ConnectivityReport.known(r.discoKey()) != null;
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
    return new ConnectivityReport(
        nodeId, r.endpoints(), r.discoKey(), homeDerp, hostinfo, settings.instanceId(), now);
  }

  /**
   * Passes on what the node's report changed that the domain records: its advertised routes, and a
   * hostname other than its view's (once per change of the report, so a refused one is not sent
   * with every request).
   */
  private void tellReports(long nodeId, NodeConnectivity before, NodeConnectivity after) {
    if (clientReports == null
        || (before != null
            && after != null
            && java.util.Objects.equals(before.hostinfo(), after.hostinfo()))) {
      // most reports only move endpoints: nothing a client reports about itself changed
      return;
    }
    List<String> was = routableIps(before);
    List<String> now = routableIps(after);
    if (now != null && !now.equals(was)) {
      try {
        clientReports.advertisedRoutes(nodeId, now);
      } catch (RuntimeException e) {
        log.warn("advertised routes of node {} not passed on: {}", nodeId, e.getMessage());
      }
    }
    String hostname = ReportedHostname.of(after);
    NodeView view = current.nodes().get(nodeId);
    if (hostname != null
        && view != null
        && !hostname.equals(view.hostname())
        && !hostname.equals(ReportedHostname.of(before))) {
      try {
        clientReports.reportedHostname(nodeId, hostname);
      } catch (RuntimeException e) {
        log.warn("reported hostname of node {} not passed on: {}", nodeId, e.getMessage());
      }
    }
  }

  private static List<String> routableIps(NodeConnectivity c) {
    if (c == null || c.hostinfo() == null) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode routes =
          TailcfgJson.MAPPER.readTree(c.hostinfo()).path("RoutableIPs");
      List<String> out = new java.util.ArrayList<>();
      routes.forEach(r -> out.add(r.asText()));
      return out.stream().sorted().toList();
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static boolean sameReach(NodeConnectivity a, NodeConnectivity b) {
    return a != null
        && b != null
        && a.endpoints().equals(b.endpoints())
        && java.util.Objects.equals(a.discoKey(), b.discoKey())
        && java.util.Objects.equals(a.homeDerp(), b.homeDerp())
        && java.util.Objects.equals(a.hostinfo(), b.hostinfo());
  }

  @Override
  public void close() {
    worker.shutdownNow();
    writer.close();
    views.shutdownNow();
  }
}
