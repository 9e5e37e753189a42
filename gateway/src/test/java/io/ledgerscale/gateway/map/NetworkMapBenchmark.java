// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.policy.bench.SyntheticTailnet;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.gateway.machine.InMemoryStreams;
import io.ledgerscale.gateway.machine.MapFrames;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The live map under load: 5,000 nodes, a 500-rule policy, N connected streams (in memory, no
 * network), then one node's tag change (from "the read model has it" to every affected delta built
 * and handed to its stream), the same change through the full path (re-read, recompile, rebuild
 * every stream), an endpoint change, and the heap the map holds. Off by default; run with {@code
 * ./mvnw -B -ntp -o -q test -pl gateway -am -Dtest=NetworkMapBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dledgerscale.benchmark=true} (sizes: -Dbench.nodes,
 * -Dbench.rules, -Dbench.streams; -Dbench.storm=true connects every stream as a node coming
 * online). Prints a report; checks that after each incremental change a complete re-evaluation
 * finds nothing left to send.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "ledgerscale.benchmark", matches = "true")
class NetworkMapBenchmark {
  private static final Instant CREATED = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void shouldReportTheCostOfOneNodeChangeOnTheLiveMap() {
    int nodes = Integer.getInteger("bench.nodes", 5000);
    int rules = Integer.getInteger("bench.rules", 500);
    int streams = Integer.getInteger("bench.streams", nodes);
    run(Math.max(200, nodes / 5), Math.max(20, rules / 5), Math.max(200, streams / 5), false);
    System.out.println(run(nodes, rules, streams, true));
  }

  /**
   * A fleet's first connect as the wire sees it: every one of N streams gets its first complete map
   * (every node sees every other, no policy; peers carry a Hostinfo the size a real tailscaled
   * sends), built and then encoded as it goes out (JSON, zstd, framed). Sizes: -Dbench.wire.streams
   * (default 1000; 5000 is the second target).
   */
  @Test
  void shouldReportTheCostOfEveryStreamsFirstFullMapOnTheWire() throws Exception {
    int streams = Integer.getInteger("bench.wire.streams", 1000);
    firstMaps(Math.max(100, streams / 5), false);
    System.out.println(firstMaps(streams, true));
  }

  static String firstMaps(int streamCount, boolean report) throws java.io.IOException {
    InMemoryReadModels rm = generate(streamCount, 1, 2024, NetworkMapBenchmark::realHostinfo);
    rm.policy = null;
    // keys are random bytes, which is most of what zstd cannot shrink in a peer entry
    for (long id = 1; id <= streamCount; id++) {
      NodeView v = rm.nodes.get(id);
      rm.nodes.put(id, withKeys(v, "mkey:" + random(id, 1), "nodekey:" + random(id, 2)));
      NodeConnectivity c = rm.find(id).orElseThrow();
      rm.put(
          new NodeConnectivity(
              id,
              c.endpoints(),
              "discokey:" + random(id, 3),
              c.homeDerp(),
              c.hostinfo(),
              c.online(),
              c.lastSeen(),
              c.instanceId(),
              c.updatedAt()));
    }
    MapStreams mapStreams = new MapStreams();
    NetworkMap map =
        new NetworkMap(
            new TailnetLoader(rm.queries, rm),
            rm,
            mapStreams,
            MapBuilderTest.SETTINGS,
            Clock.systemUTC());
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try {
      long buildNanos = 0;
      long encodeNanos = 0;
      long encodeCpu = 0;
      long peers = 0;
      long jsonBytes = 0;
      long wireBytes = 0;
      // nodes connect in no particular order
      List<Long> order = new java.util.ArrayList<>(rm.nodes.keySet());
      java.util.Collections.shuffle(order, new java.util.Random(7));
      for (long id : order) {
        long t0 = System.nanoTime();
        MapResponse first =
            map.fullMap(rm.nodes.get(id).machineKey(), wireRequest(rm.nodes.get(id)))
                .join()
                .orElseThrow();
        long t1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        java.nio.ByteBuffer frame = MapFrames.encode(first, true);
        long c2 = threads.getCurrentThreadCpuTime();
        long t2 = System.nanoTime();
        buildNanos += t1 - t0;
        encodeNanos += t2 - t1;
        encodeCpu += c2 - c1;
        peers += first.peers().size();
        wireBytes += frame.remaining();
        // what the client gets once it has decoded every zstd frame of the message
        byte[] json = TailcfgJson.MAPPER.writeValueAsBytes(first);
        jsonBytes += json.length;
        if (id % 10 == 0) {
          frame.position(4);
          java.io.ByteArrayOutputStream decoded = new java.io.ByteArrayOutputStream();
          try (var in =
              new com.github.luben.zstd.ZstdInputStream(
                  new java.io.ByteArrayInputStream(
                      frame.array(), frame.arrayOffset() + 4, frame.remaining()))) {
            in.transferTo(decoded);
          }
          assertThat(decoded.toByteArray()).as("stream %d's map as decoded", id).isEqualTo(json);
        }
      }
      if (!report) {
        return "";
      }
      return String.format(
          "first full map of every stream: %d streams, %.0f peers each, on %d cores%n"
              + "  built (read view + MapBuilder.full)  %8.1f ms wall, %6.2f ms per stream%n"
              + "  encoded (JSON + zstd + frame)        %8.1f ms wall, %8.1f ms CPU, %6.2f ms per"
              + " stream, %.2f us per peer entry%n"
              + "  JSON %d MiB, on the wire %d MiB (%.1f:1), %d bytes per stream%n",
          streamCount,
          peers / (double) streamCount,
          Runtime.getRuntime().availableProcessors(),
          ms(buildNanos),
          ms(buildNanos) / streamCount,
          ms(encodeNanos),
          ms(encodeCpu),
          ms(encodeNanos) / streamCount,
          encodeNanos / 1000.0 / Math.max(1, peers),
          jsonBytes >> 20,
          wireBytes >> 20,
          jsonBytes / (double) wireBytes,
          wireBytes / streamCount);
    } finally {
      map.close();
    }
  }

  /** 32 random-looking bytes in hex, the same for the same arguments. */
  static String random(long id, int which) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(id * 31 + which);
    return String.format(
        "%016x%016x%016x%016x", r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
  }

  private static MapRequest wireRequest(NodeView v) {
    return new MapRequest(
        113,
        "zstd",
        true,
        v.nodeKey(),
        null,
        false,
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        true);
  }

  private static NodeView withKeys(NodeView v, String machine, String nodeKey) {
    return new NodeView(
        v.id(),
        machine,
        nodeKey,
        v.discoKey(),
        v.ipAddresses(),
        v.hostname(),
        v.givenName(),
        v.userId(),
        v.userName(),
        v.tags(),
        v.lastSeen(),
        v.expiry(),
        v.preAuthKeyId(),
        v.createdAt(),
        v.registerMethod(),
        v.online(),
        v.ephemeral(),
        v.approvedRoutes(),
        v.availableRoutes());
  }

  /** What a tailscaled of v1.80 on Linux reports, about 700 bytes of JSON. */
  static String realHostinfo(long i) {
    return "{\"IPNVersion\":\"1.80.3-t8a0b4c3e1-g1f2e3d4c5\",\"BackendLogID\":\""
        + random(i, 4)
        + "\",\"OS\":\"linux\",\"OSVersion\":\"Debian 12.8 (bookworm); kernel=6.1.0-28-amd64\","
        + "\"Hostname\":\"node"
        + i
        + "\",\"Machine\":\"x86_64\",\"GoArch\":\"amd64\",\"GoArchVar\":\"v1\","
        + "\"GoVersion\":\"go1.23.6\",\"Services\":[{\"Proto\":\"peerapi4\",\"Port\":"
        + (40000 + i % 20000)
        + "},{\"Proto\":\"peerapi6\",\"Port\":"
        + (40000 + i % 20000)
        + "},{\"Proto\":\"peerapi-dns-proxy\",\"Port\":1}],\"NetInfo\":{\"MappingVariesByDestIP\":false,"
        + "\"HairPinning\":null,\"WorkingIPv6\":false,\"OSHasIPv6\":true,\"WorkingUDP\":true,"
        + "\"WorkingICMPv4\":false,\"UPnP\":false,\"PMP\":false,\"PCP\":false,\"PreferredDERP\":900,"
        + "\"DERPLatency\":{\"900-v4\":0.0"
        + (1000 + i % 9000)
        + "}},\"Userspace\":false,\"UserspaceRouter\":false,\"AppConnector\":false,"
        + "\"ServicesHash\":\""
        + random(i, 5).substring(0, 16)
        + "\"}";
  }

  static String run(int nodeCount, int ruleCount, int streamCount, boolean report) {
    StringBuilder out = new StringBuilder();
    long heapBefore = usedHeap();
    InMemoryReadModels rm = generate(nodeCount, ruleCount, 2024);
    MapStreams mapStreams = new MapStreams();
    NetworkMap map =
        new NetworkMap(
            new TailnetLoader(rm.queries, rm),
            rm,
            mapStreams,
            // each change measured on its own, as it goes out
            MapBuilderTest.SETTINGS.withBatchChangeDelay(Duration.ZERO),
            Clock.systemUTC());
    try {
      Map<Long, InMemoryStreams.Collecting> open = new LinkedHashMap<>();
      long t0 = System.nanoTime();
      connect(map, mapStreams, open, 1);
      long t1 = System.nanoTime();
      for (long id = 2; id <= streamCount; id++) {
        connect(map, mapStreams, open, id);
      }
      settle(map);
      long t2 = System.nanoTime();
      long connectMessages = open.values().stream().mapToLong(s -> s.sent.size()).sum();
      open.values().forEach(s -> s.sent.clear());
      long heapWithStreams = usedHeap();
      long peers = 0;
      for (long id = 1; id <= Math.min(streamCount, 200); id++) {
        peers +=
            map.fullMap(NetworkMapTest.machine(id), request(id, false))
                .join()
                .orElseThrow()
                .peers()
                .size();
      }
      out.append(
          String.format(
              "network map benchmark: %d nodes, %d rules, %d streams (in memory), on %d cores%n",
              nodeCount, ruleCount, streamCount, Runtime.getRuntime().availableProcessors()));
      out.append(
          String.format(
              "  first map (read tailnet + full compile + one view)  %8.1f ms%n", ms(t1 - t0)));
      out.append(
          String.format(
              "  %d more streams connected (%s) %8.1f ms,"
                  + " %d messages; %.0f peers per node on average%n",
              streamCount - 1,
              Boolean.getBoolean("bench.storm")
                  ? "each coming online, told to its peers"
                  : "already online",
              ms(t2 - t1),
              connectMessages,
              peers / (double) Math.min(streamCount, 200)));
      out.append(
          String.format(
              "  heap held by read models + map + %d streams' last views: ~%d MiB%n",
              streamCount, (heapWithStreams - heapBefore) / (1024 * 1024)));

      // where a complete view costs: the policy's peer set, or building the view from it
      CompiledPolicy compiled = new TailnetLoader(rm.queries, rm).load(Set.of()).policy();
      int sample = Math.min(streamCount, 200);
      long p0 = System.nanoTime();
      for (long id = 1; id <= sample; id++) {
        compiled.peersOf(id);
      }
      long p1 = System.nanoTime();
      out.append(
          String.format(
              "  one complete view: CompiledPolicy.peersOf alone %.2f ms per node (mean of %d)%n",
              ms(p1 - p0) / sample, sample));

      // one node's tags change: from the read model having it to every affected delta handed to its
      // stream
      long changed = nodeCount / 2;
      NodeView before = rm.nodes.get(changed);
      Set<String> tags = new LinkedHashSet<>(before.tags());
      tags.add("tag:t1");
      rm.nodes.put(changed, withTags(before, List.copyOf(tags)));
      long cpu0 = cpu();
      long t3 = System.nanoTime();
      map.nodeChanged(changed, Instant.now());
      settle(map);
      long t4 = System.nanoTime();
      long cpu1 = cpu();
      long touched = open.values().stream().filter(s -> !s.sent.isEmpty()).count();
      long filters =
          open.values().stream()
              .flatMap(s -> s.sent.stream())
              .filter(r -> r.packetFilter() != null)
              .count();
      out.append(
          String.format(
              "  tag change on node %d, incremental: %8.1f ms wall (worker CPU ~%.1f ms),"
                  + " deltas to %d of %d streams (%d with a new packet filter)%n",
              changed, ms(t4 - t3), ms(cpu1 - cpu0), touched, streamCount, filters));
      long[] full = fullReevaluation(map, open);
      out.append(
          String.format(
              "  complete re-evaluation afterwards (re-read, policy reused, every view rebuilt)"
                  + " %8.1f ms: %d messages (must be 0)%n",
              ms(full[0]), full[1]));
      assertThat(full[1]).as("messages a complete re-evaluation still had to send").isZero();

      // the same kind of change through the full path, as every admin change went before
      NodeView other = rm.nodes.get(changed + 1);
      Set<String> tags2 = new LinkedHashSet<>(other.tags());
      tags2.add("tag:t2");
      rm.nodes.put(changed + 1, withTags(other, List.copyOf(tags2)));
      long t5 = System.nanoTime();
      map.changed(Instant.now());
      settle(map);
      long t6 = System.nanoTime();
      long touched2 = open.values().stream().filter(s -> !s.sent.isEmpty()).count();
      open.values().forEach(s -> s.sent.clear());
      out.append(
          String.format(
              "  tag change on node %d, full path (re-read all, recompile, rebuild all):"
                  + " %8.1f ms wall, deltas to %d streams%n",
              changed + 1, ms(t6 - t5), touched2));

      // a client reports new endpoints: one connectivity row re-read, one peer patched on every
      // viewer
      long t7 = System.nanoTime();
      MapRequest lite =
          new MapRequest(
              113,
              null,
              false,
              NetworkMapTest.key(changed),
              NetworkMapTest.disco(changed),
              false,
              true,
              null,
              List.of("198.51.100.9:41641"),
              null,
              null,
              null,
              null,
              false);
      map.liteUpdate(NetworkMapTest.machine(changed), lite).join();
      settle(map);
      long t8 = System.nanoTime();
      long patched = open.values().stream().filter(s -> !s.sent.isEmpty()).count();
      out.append(
          String.format(
              "  endpoint change of node %d: %8.1f ms wall, patches to %d streams%n",
              changed, ms(t8 - t7), patched));
      // the periodic refresh (every 30 s): re-read everything, pass on only what differs
      open.values().forEach(s -> s.sent.clear());
      long t9 = System.nanoTime();
      map.refreshNow();
      settle(map);
      long t10 = System.nanoTime();
      long refreshed = open.values().stream().mapToLong(s -> s.sent.size()).sum();
      out.append(
          String.format(
              "  periodic refresh with nothing new: %8.1f ms wall, %d messages%n",
              ms(t10 - t9), refreshed));
      long[] full2 = fullReevaluation(map, open);
      assertThat(full2[1]).as("messages a complete re-evaluation still had to send").isZero();
      out.append(
          String.format(
              "  complete re-evaluation afterwards %8.1f ms: %d messages (must be 0)%n",
              ms(full2[0]), full2[1]));
      wideChanges(map, rm, open, out, nodeCount);
      return report ? out.toString() : "";
    } finally {
      map.close();
    }
  }

  /**
   * The changes that went through a complete re-evaluation of every stream: a node's deletion, a
   * user's rename, a policy edit (one rule more). Each is timed from the map being told to every
   * stream's delta handed over, then checked against a complete re-evaluation.
   */
  private static void wideChanges(
      NetworkMap map,
      InMemoryReadModels rm,
      Map<Long, InMemoryStreams.Collecting> open,
      StringBuilder out,
      int nodeCount) {
    open.values().forEach(s -> s.sent.clear());
    long gone = nodeCount / 2 + 2;
    rm.nodes.remove(gone);
    rm.forget(gone);
    long t0 = System.nanoTime();
    map.nodeDeleted(gone, Instant.now());
    settle(map);
    long t1 = System.nanoTime();
    long told =
        open.values().stream()
            .filter(s -> s.sent.stream().anyMatch(r -> r.peersRemoved() != null))
            .count();
    long filters =
        open.values().stream()
            .flatMap(s -> s.sent.stream())
            .filter(r -> r.packetFilter() != null)
            .count();
    out.append(
        String.format(
            "  deletion of node %d: %8.1f ms wall, %d streams told it is gone (%d new filters)%n",
            gone, ms(t1 - t0), told, filters));
    long[] full = fullReevaluation(map, open);
    assertThat(full[1]).as("messages a complete re-evaluation still had to send").isZero();
    out.append(
        String.format(
            "  complete re-evaluation afterwards %8.1f ms: %d messages (must be 0)%n",
            ms(full[0]), full[1]));

    // a user renamed (display name and login change, the policy names users by e-mail)
    UserView u = rm.users.get(7L);
    rm.users.put(
        7L,
        new UserView(
            u.id(),
            "renamed7",
            "Renamed Seven",
            u.email(),
            u.pictureUrl(),
            u.provider(),
            u.providerId(),
            u.createdAt()));
    long t2 = System.nanoTime();
    map.usersChanged(Instant.now());
    settle(map);
    long t3 = System.nanoTime();
    long renamed = open.values().stream().filter(s -> !s.sent.isEmpty()).count();
    out.append(
        String.format(
            "  rename of user 7: %8.1f ms wall, deltas to %d streams%n", ms(t3 - t2), renamed));
    full = fullReevaluation(map, open);
    assertThat(full[1]).as("messages a complete re-evaluation still had to send").isZero();

    // a policy edit: one more rule, so every filter is compared
    String text = rm.policy.policy();
    int at = text.indexOf("\"acls\": [") + "\"acls\": [".length();
    rm.policy =
        new PolicyView(
            rm.policy.version() + 1,
            text.substring(0, at)
                + "\n    {\"action\": \"accept\", \"src\": [\"tag:t1\"], \"dst\":"
                + " [\"tag:t2:5432\"]},"
                + text.substring(at),
            Instant.now());
    long t4 = System.nanoTime();
    map.changed(Instant.now());
    settle(map);
    long t5 = System.nanoTime();
    long edited = open.values().stream().filter(s -> !s.sent.isEmpty()).count();
    out.append(
        String.format(
            "  policy edit (one rule added): %8.1f ms wall, deltas to %d streams%n",
            ms(t5 - t4), edited));
    full = fullReevaluation(map, open);
    assertThat(full[1]).as("messages a complete re-evaluation still had to send").isZero();
    out.append(
        String.format(
            "  complete re-evaluation afterwards %8.1f ms: %d messages (must be 0)%n",
            ms(full[0]), full[1]));
  }

  private static long[] fullReevaluation(
      NetworkMap map, Map<Long, InMemoryStreams.Collecting> open) {
    open.values().forEach(s -> s.sent.clear());
    long t = System.nanoTime();
    map.changed(Instant.now());
    settle(map);
    long elapsed = System.nanoTime() - t;
    long messages = open.values().stream().mapToLong(s -> s.sent.size()).sum();
    open.values().forEach(s -> s.sent.clear());
    return new long[] {elapsed, messages};
  }

  private static void connect(
      NetworkMap map, MapStreams streams, Map<Long, InMemoryStreams.Collecting> open, long id) {
    open.put(
        id,
        InMemoryStreams.open(map, streams, NetworkMapTest.machine(id), request(id, true))
            .orElseThrow());
  }

  private static MapRequest request(long id, boolean stream) {
    return new MapRequest(
        113,
        null,
        true,
        NetworkMapTest.key(id),
        NetworkMapTest.disco(id),
        stream,
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        true);
  }

  private static void settle(NetworkMap map) {
    for (int i = 0; i < 4; i++) {
      map.connectedNodes().join();
    }
  }

  private static NodeView withTags(NodeView v, List<String> tags) {
    return new NodeView(
        v.id(),
        v.machineKey(),
        v.nodeKey(),
        v.discoKey(),
        v.ipAddresses(),
        v.hostname(),
        v.givenName(),
        TaggedDevices.USER_ID,
        TaggedDevices.USER_NAME,
        tags,
        v.lastSeen(),
        v.expiry(),
        v.preAuthKeyId(),
        v.createdAt(),
        v.registerMethod(),
        v.online(),
        v.ephemeral(),
        v.approvedRoutes(),
        v.availableRoutes());
  }

  /**
   * The same shape as the policy compiler's benchmark tailnet (domain's SyntheticTailnet): users in
   * groups, personal devices, tagged servers, subnet routers and exit nodes, rules mixing every
   * alias kind.
   */
  static InMemoryReadModels generate(int nodeCount, int ruleCount, long seed) {
    return generate(
        nodeCount,
        ruleCount,
        seed,
        i -> "{\"Hostname\":\"node" + i + "\",\"OS\":\"linux\",\"IPNVersion\":\"1.80.3\"}");
  }

  static InMemoryReadModels generate(
      int nodeCount, int ruleCount, long seed, java.util.function.LongFunction<String> hostinfo) {
    SyntheticTailnet synthetic = SyntheticTailnet.generate(nodeCount, ruleCount, seed);
    InMemoryReadModels rm = new InMemoryReadModels();
    for (TailnetUser u : synthetic.snapshot.users()) {
      rm.users.put(
          u.id(), new UserView(u.id(), u.name(), null, u.email(), null, null, null, CREATED));
    }
    for (TailnetNode n : synthetic.snapshot.nodes()) {
      long i = n.id();
      List<String> routes = n.advertisedRoutes().stream().map(IpPrefix::toString).toList();
      long owner = n.tags().isEmpty() ? n.userId() : TaggedDevices.USER_ID;
      rm.nodes.put(
          i,
          new NodeView(
              i,
              NetworkMapTest.machine(i),
              NetworkMapTest.key(i),
              null,
              List.of(n.ipv4().toString(), n.ipv6().toString()),
              n.name(),
              n.name(),
              owner,
              "u",
              List.copyOf(n.tags()),
              null,
              null,
              null,
              CREATED,
              "REGISTER_METHOD_AUTH_KEY",
              false,
              false,
              routes,
              routes));
      // -Dbench.storm=true: every node starts offline, so each connection is an online change told
      // to its peers;
      // by default the rows say online already (a steady state), and connecting only builds each
      // stream's view
      rm.put(
          new NodeConnectivity(
              i,
              List.of("192.0.2." + (i % 250) + ":" + (40000 + i)),
              NetworkMapTest.disco(i),
              900,
              hostinfo.apply(i),
              !Boolean.getBoolean("bench.storm"),
              CREATED,
              "bench",
              CREATED));
    }
    rm.policy = new PolicyView(1, synthetic.policy, CREATED);
    return rm;
  }

  private static long cpu() {
    // the map's work runs on its worker thread; total process CPU is the honest figure on a shared
    // machine
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
