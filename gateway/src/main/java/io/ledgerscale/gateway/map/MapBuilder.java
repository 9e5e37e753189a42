// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.gateway.tailcfg.DNSConfig;
import io.ledgerscale.gateway.tailcfg.FilterRule;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.SharedNodes;
import io.ledgerscale.gateway.tailcfg.UserProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns a {@link MapSnapshot} into what one node sees ({@link NodeMap}), a complete first
 * MapResponse, or the delta between two NodeMaps. Pure functions of their inputs, so they are
 * tested on plain values. The sections of a map come from their own classes: the viewer's and its
 * peers' entries ({@link NodeEntries}, shared through {@link PeerEntries}, routes through {@link
 * RouteElection}), the delta ({@link MapDelta}), packet filters ({@link PacketFilters}), user
 * profiles ({@link UserProfiles}) and DNS ({@link DnsConfiguration}); the SSH policy is the
 * compiled policy's.
 */
public final class MapBuilder {
  private final MapSettings settings;
  private final NodeEntries nodes;
  private final PeerEntries peerEntries;
  private final PacketFilters filters = new PacketFilters();
  private final DnsConfiguration dns;

  public MapBuilder(MapSettings settings) {
    this.settings = settings;
    RouteElection election = new RouteElection();
    this.nodes = new NodeEntries(settings, election);
    this.peerEntries = new PeerEntries(nodes, election);
    this.dns = new DnsConfiguration(settings);
  }

  /** {@code dns.extra_records}: set by the server at start and whenever its file changes. */
  void extraRecords(List<DNSConfig.DNSRecord> records) {
    dns.extraRecords(records);
  }

  /**
   * The DNS configuration alone, for every stream when it changes (the client replaces its own).
   */
  MapResponse dnsUpdate() {
    return dns.dnsUpdate();
  }

  /** The node ids of one node map in id order, shared by every view built from that map. */
  private record SortedIds(Map<Long, NodeView> of, List<Long> ids) {}

  private volatile SortedIds sortedIds = new SortedIds(Map.of(), List.of());

  /**
   * Every node id in order, sorted once per node set rather than once per view: without a policy
   * everyone sees everyone, and a fleet connecting builds a view per node.
   */
  private List<Long> everyNodeInOrder(MapSnapshot t) {
    SortedIds cached = sortedIds;
    if (cached.of() != t.nodes()) {
      List<Long> ids = new ArrayList<>(t.nodes().keySet());
      ids.sort(null);
      cached = new SortedIds(t.nodes(), List.copyOf(ids));
      sortedIds = cached;
    }
    return cached.ids();
  }

  /**
   * Every node as any viewer is shown it when there is no policy, for one snapshot at one time:
   * whom a viewer then sees is everyone but itself, each with the entry and presence every other
   * viewer is shown too ({@link PeerEntries#peerFor} depends on the viewer only through the
   * policy). A batch of first maps reads it once; {@code shown} holds each entry with its presence
   * as a complete map carries it, by position.
   */
  private record Everyone(MapSnapshot of, Instant at, PeerTable<Node> table, Node[] shown) {}

  private volatile Everyone everyone;

  private Everyone everyone(MapSnapshot t, Instant now) {
    Everyone e = everyone;
    if (e != null && e.of() == t && e.at().equals(now)) {
      return e;
    }
    // no policy: the entry is the same for every viewer (the viewer id is not read), and no node
    // has the id NO_VIEWER, so none is left out
    PeerTable<Node> table = peersSeenBy(NO_VIEWER, everyNodeInOrder(t), t, now);
    Node[] shown = new Node[table.size()];
    for (int i = 0; i < shown.length; i++) {
      shown[i] = NodeEntries.withPresence(table.valueAt(i), t, table.idAt(i), table.flagAt(i));
    }
    e = new Everyone(t, now, table, shown);
    everyone = e;
    return e;
  }

  /** An id no node has: {@link #peersSeenBy} then leaves no one out. */
  private static final long NO_VIEWER = -1;

  /**
   * The peers {@code viewerId} is shown out of {@code visible} (in id order, so the table fills by
   * appending), each flagged with its presence: all but the viewer itself and those it cannot
   * reach.
   */
  private PeerTable<Node> peersSeenBy(
      long viewerId, java.util.Collection<Long> visible, MapSnapshot t, Instant now) {
    PeerTable<Node> peers = new PeerTable<>(visible.size());
    Map<Long, Boolean> online = peers.flags();
    for (Long id : visible) {
      NodeView peer = t.nodes().get(id);
      NodeConnectivity c = t.connectivity().get(id);
      // a peer without a disco key cannot be reached; it appears once its client reports one
      if (peer == null
          || id == viewerId
          || c == null
          || c.discoKey() == null
          || NodeEntries.expired(peer, now)) {
        continue;
      }
      peers.put(id, peerEntries.peerFor(viewerId, peer, t, now));
      online.put(id, t.online(id, c));
    }
    return peers.trimmed();
  }

  /** Drops cached peers that are no longer in the tailnet. */
  public void retainPeers(Set<Long> nodeIds) {
    peerEntries.retain(nodeIds);
    filters.retain(nodeIds);
    SharedNodes.retain(nodeIds);
  }

  /** What {@code nodeId} should see now, or null if the node is not in the tailnet. */
  public NodeMap build(long nodeId, MapSnapshot t, Instant now) {
    NodeView view = t.nodes().get(nodeId);
    if (view == null) {
      return null;
    }
    CompiledPolicy policy = t.policy();
    Node self = nodes.node(view, t, now, true);
    PeerTable<Node> peers;
    Map<Long, Boolean> online;
    if (!NodeEntries.expired(view, now)) {
      if (policy == null) {
        // in id order, copied from the table of everyone this batch of first maps shares
        peers = everyone(t, now).table().copyWithout(nodeId);
        online = peers.flags();
      } else {
        peers = peersSeenBy(nodeId, policy.peersOf(nodeId), t, now);
        online = peers.flags();
      }
    } else {
      peers = new PeerTable<>(0);
      online = peers.flags();
    }
    List<FilterRule> filter = policy == null ? FilterRule.ALLOW_ALL : filters.of(policy, nodeId);
    Object ssh = policy == null ? null : settings.sshActionUrl().onto(policy.sshPolicyFor(nodeId));
    return new NodeMap(
        self, peers, online, filter, UserProfiles.profiles(view, peers.values(), t), ssh);
  }

  /**
   * A stream's view after a change, and the delta that tells the client (null when nothing
   * changed). A patched view shares its peer tables with the view it was patched from and is only
   * edited by {@link #commit}: views are evaluated on many threads and a failure in any one of them
   * abandons them all, so until its delta is about to be sent no view may differ from what its
   * client has.
   */
  public record Patched(NodeMap map, MapResponse delta, Runnable edits) {
    public Patched(NodeMap map, MapResponse delta) {
      this(map, delta, null);
    }

    /** Makes the view the stream's own (its peer tables edited in place) and answers it. */
    public NodeMap commit() {
      if (edits != null) {
        edits.run();
      }
      return map;
    }
  }

  /**
   * What the viewer of {@code m} sees once only the peers in {@code changed} changed (their views,
   * connectivity or presence), as one delta. Each peer maps to whether the policy lets the viewer
   * see it at all. When a node's change only alters the other nodes' views through that node (its
   * membership in the policy's sources and destinations), every other viewer's peer list differs in
   * that node at most; the viewer's packet filter and SSH policy are re-assembled when {@code
   * rules} is set (the compiled policy caches unaffected filters). Costs the same for a viewer with
   * ten peers as for one with ten thousand: {@code m}'s peer maps are updated in place (they belong
   * to the stream) by {@link Patched#commit}. With {@code selfChanged} the viewer's own entry is
   * made afresh too: for a change of its connectivity alone, which alters neither whom it sees nor
   * its filter. Answers null when the viewer is gone, or (with {@code selfChanged}) expired: then
   * only a rebuild is right. With {@code shared} (may be null), a delta of peers alone (neither the
   * viewer's own entry nor its rules change, no routing peer concerned) is taken from, or left in,
   * the flush's deltas for every stream that holds and is to be shown the same entries.
   */
  Patched patchPeers(
      NodeMap m,
      long viewerId,
      Map<Long, Boolean> changed,
      boolean rules,
      boolean selfChanged,
      MapSnapshot t,
      Instant now,
      SharedDeltas shared) {
    NodeView viewer = t.nodes().get(viewerId);
    if (viewer == null) {
      return null;
    }
    boolean viewerExpired = NodeEntries.expired(viewer, now);
    if (selfChanged && viewerExpired) {
      return null;
    }
    Node self = selfChanged ? nodes.node(viewer, t, now, true) : m.self();
    Map<Long, Boolean> patched = peerEntries.withRoutersIfRoutesMayDiffer(m, changed, rules, t);
    int k = patched.size();
    long[] ids = new long[k];
    Node[] held = new Node[k];
    Boolean[] wasOnline = new Boolean[k];
    Node[] shown = new Node[k];
    List<UserProfile> profiles = m.userProfiles();
    List<UserProfile> newProfiles = new ArrayList<>();
    Set<Long> shownUsers = null;
    int i = 0;
    for (Map.Entry<Long, Boolean> e : patched.entrySet()) {
      long peerId = e.getKey();
      NodeView peer = t.nodes().get(peerId);
      NodeConnectivity c = t.connectivity().get(peerId);
      Node fresh =
          e.getValue()
                  && peer != null
                  && peerId != viewerId
                  && c != null
                  && c.discoKey() != null
                  && !viewerExpired
                  && !NodeEntries.expired(peer, now)
              ? peerEntries.peerFor(viewerId, peer, t, now)
              : null;
      Node old = m.peers().get(peerId);
      ids[i] = peerId;
      held[i] = old;
      wasOnline[i] = m.online().get(peerId);
      shown[i++] = fresh;
      if (fresh != null && (old == null || old.user() != fresh.user())) {
        if (shownUsers == null) {
          shownUsers = new HashSet<>();
          for (UserProfile u : profiles) {
            shownUsers.add(u.id());
          }
        }
        if (shownUsers.add(fresh.user())) {
          newProfiles.add(UserProfiles.profile(fresh.user(), t));
        }
      }
    }
    if (!newProfiles.isEmpty()) {
      List<UserProfile> all = new ArrayList<>(profiles);
      all.addAll(newProfiles);
      profiles = List.copyOf(all);
    }
    CompiledPolicy policy = t.policy();
    List<FilterRule> filter =
        !rules
            ? m.packetFilter()
            : policy == null ? FilterRule.ALLOW_ALL : filters.of(policy, viewerId);
    Object ssh =
        !rules
            ? m.sshPolicy()
            : policy == null ? null : settings.sshActionUrl().onto(policy.sshPolicyFor(viewerId));
    Supplier<SharedDeltas.After> work =
        () -> peerDelta(m, self, ids, held, wasOnline, shown, newProfiles, filter, ssh, t, now);
    // a delta of peers alone: what else it could say (own entry, filter, SSH policy) is the same
    // before and after, so every stream holding the same entries gets the same one
    SharedDeltas.After after =
        shared != null && !selfChanged && !rules && patched == changed
            ? shared.of(
                new SharedDeltas.Before(ids, held, wasOnline, shown, List.copyOf(newProfiles)),
                b -> work.get())
            : work.get();
    if (after.delta() == null) {
      return new Patched(m, null);
    }
    Map<Long, Node> peers = m.peers();
    Map<Long, Boolean> online = m.online();
    Boolean[] nowOnline = after.online();
    Runnable edits =
        () -> {
          for (int j = 0; j < ids.length; j++) {
            if (shown[j] == null) {
              peers.remove(ids[j]);
              online.remove(ids[j]);
            } else {
              peers.put(ids[j], shown[j]);
              online.put(ids[j], nowOnline[j]);
            }
          }
        };
    return new Patched(
        new NodeMap(self, peers, online, filter, profiles, ssh), after.delta(), edits);
  }

  /**
   * The delta from what a view holds of some peers to what it is to be shown of them, and whether
   * each shown peer is online.
   */
  private static SharedDeltas.After peerDelta(
      NodeMap m,
      Node self,
      long[] ids,
      Node[] held,
      Boolean[] wasOnline,
      Node[] shown,
      List<UserProfile> newProfiles,
      List<FilterRule> filter,
      Object ssh,
      MapSnapshot t,
      Instant now) {
    Map<Long, Node> beforePeers = new TreeMap<>();
    Map<Long, Boolean> beforeOnline = new HashMap<>();
    Map<Long, Node> afterPeers = new TreeMap<>();
    Map<Long, Boolean> afterOnline = new HashMap<>();
    Boolean[] online = new Boolean[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (held[i] != null) {
        beforePeers.put(ids[i], held[i]);
      }
      if (wasOnline[i] != null) {
        beforeOnline.put(ids[i], wasOnline[i]);
      }
      if (shown[i] != null) {
        online[i] = t.online(ids[i]);
        afterPeers.put(ids[i], shown[i]);
        afterOnline.put(ids[i], online[i]);
      }
    }
    MapResponse delta =
        MapDelta.between(
            new NodeMap(
                m.self(), beforePeers, beforeOnline, m.packetFilter(), List.of(), m.sshPolicy()),
            new NodeMap(self, afterPeers, afterOnline, filter, newProfiles, ssh),
            t,
            now);
    return new SharedDeltas.After(delta, online);
  }

  /**
   * A stream's view once the users in {@code changed} were renamed or otherwise edited: the
   * profiles it shows of them are replaced; the delta carries those profiles alone (null when the
   * stream shows none of them, or they look the same).
   */
  public Patched patchProfiles(NodeMap m, Set<Long> changed, MapSnapshot t, Instant now) {
    List<UserProfile> profiles = new ArrayList<>(m.userProfiles().size());
    List<UserProfile> fresh = new ArrayList<>();
    for (UserProfile p : m.userProfiles()) {
      UserProfile updated = changed.contains(p.id()) ? UserProfiles.profile(p.id(), t) : p;
      profiles.add(updated);
      if (!updated.equals(p)) {
        fresh.add(updated);
      }
    }
    if (fresh.isEmpty()) {
      return new Patched(m, null);
    }
    NodeMap after =
        new NodeMap(
            m.self(),
            m.peers(),
            m.online(),
            m.packetFilter(),
            List.copyOf(profiles),
            m.sshPolicy());
    MapResponse delta =
        new MapResponse(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.copyOf(fresh),
            NodeEntries.time(now),
            null,
            null,
            null);
    return new Patched(after, delta);
  }

  /** The complete first message of a stream. */
  public MapResponse full(NodeMap m, MapSnapshot t, Instant now) {
    List<Node> peers = new ArrayList<>(m.peers().size());
    if (m.peers() instanceof PeerTable<Node> table && m.online() == table.flags()) {
      // presence as the view holds it, which is what later deltas compare with, read by position:
      // looking it up again for every peer of every first map was a sixth of the map's thread at
      // 5,000 nodes
      Everyone all = everyone;
      if (all != null && all.of() == t && all.at().equals(now)) {
        // an entry with the presence the table of everyone has is shown as it was made there
        PeerTable<Node> every = all.table();
        int j = 0;
        for (int i = 0; i < table.size(); i++) {
          long id = table.idAt(i);
          while (j < every.size() && every.idAt(j) < id) {
            j++;
          }
          Node p = table.valueAt(i);
          boolean online = table.flagAt(i);
          peers.add(
              j < every.size()
                      && every.idAt(j) == id
                      && every.valueAt(j) == p
                      && every.flagAt(j) == online
                  ? all.shown()[j]
                  : NodeEntries.withPresence(p, t, id, online));
        }
      } else {
        table.forEachFlagged(
            (id, p, online) -> peers.add(NodeEntries.withPresence(p, t, id, online)));
      }
    } else {
      m.peers()
          .forEach(
              (id, p) ->
                  peers.add(
                      NodeEntries.withPresence(p, t, id, Boolean.TRUE.equals(m.online().get(id)))));
    }
    return new MapResponse(
        null,
        m.self(),
        settings.derpMap(),
        peers,
        null,
        null,
        null,
        dns.dns(),
        dns.domain(),
        false,
        m.packetFilter(),
        m.userProfiles(),
        NodeEntries.time(now),
        new MapResponse.Debug(true),
        null,
        m.sshPolicy());
  }

  /**
   * What changed from {@code before} to {@code after}, as one delta message, or null when nothing
   * did. A peer whose only changes are endpoints, disco key or home DERP goes out as a
   * PeersChangedPatch.
   */
  public MapResponse delta(NodeMap before, NodeMap after, MapSnapshot t, Instant now) {
    return MapDelta.between(before, after, t, now);
  }
}
