// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.node.Owner;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.PeerRoutes;
import io.ledgerscale.domain.policy.compile.PrimaryRoutes;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.gateway.tailcfg.DNSConfig;
import io.ledgerscale.gateway.tailcfg.FilterRule;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.PeerChange;
import io.ledgerscale.gateway.tailcfg.SharedNodes;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import io.ledgerscale.gateway.tailcfg.UserProfile;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a {@link Tailnet} into what one node sees ({@link NodeMap}), a complete first MapResponse,
 * or the delta between two NodeMaps. Pure functions of their inputs, so they are tested on plain
 * values.
 */
public final class MapBuilder {
  static final String CAP_ADMIN = "https://tailscale.com/cap/is-admin";
  static final String CAP_SSH = "https://tailscale.com/cap/ssh";
  static final String CAP_FILE_SHARING = "https://tailscale.com/cap/file-sharing";
  static final String CAP_AUTO_UPDATE = "default-auto-update";
  static final UserProfile TAGGED_DEVICES =
      new UserProfile(TaggedDevices.USER_ID, TaggedDevices.USER_NAME, "Tagged Devices", null);
  private static final List<String> REVERSE_ZONES = reverseZones();

  private final MapSettings settings;

  /**
   * A peer looks the same to every node that sees it, so it is built once and reused until one of
   * its inputs changes; with thousands of streams this is most of the work of a change. Views may
   * be built on several threads at once ({@link #build}, {@link #delta}); the one-peer updates of a
   * stream's view run on one.
   */
  private final Map<Long, CachedPeer> peerCache = new ConcurrentHashMap<>();

  /**
   * A peer as last built, with its inputs: the parsed policy it was built under ({@code
   * CompiledPolicy.withNode} keeps it), its view, connectivity, served routes and expiry.
   */
  private record CachedPeer(
      Object policy,
      NodeView view,
      NodeConnectivity connectivity,
      List<IpPrefix> served,
      boolean expired,
      Node node) {}

  /** {@code dns.extra_records}: set by the server at start and whenever its file changes. */
  private volatile List<DNSConfig.DNSRecord> extraRecords = List.of();

  public MapBuilder(MapSettings settings) {
    this.settings = settings;
  }

  void extraRecords(List<DNSConfig.DNSRecord> records) {
    extraRecords = List.copyOf(records);
  }

  /**
   * The DNS configuration alone, for every stream when it changes (the client replaces its own).
   */
  MapResponse dnsUpdate() {
    return new MapResponse(
        null, null, null, null, null, null, null, dns(), null, null, null, null, null, null);
  }

  /** The node ids of one node map in id order, shared by every view built from that map. */
  private record SortedIds(Map<Long, NodeView> of, List<Long> ids) {}

  private volatile SortedIds sortedIds = new SortedIds(Map.of(), List.of());

  /**
   * Every node id in order, sorted once per node set rather than once per view: without a policy
   * everyone sees everyone, and a fleet connecting builds a view per node.
   */
  private List<Long> everyNodeInOrder(Tailnet t) {
    SortedIds cached = sortedIds;
    if (cached.of() != t.nodes()) {
      List<Long> ids = new ArrayList<>(t.nodes().keySet());
      ids.sort(null);
      cached = new SortedIds(t.nodes(), List.copyOf(ids));
      sortedIds = cached;
    }
    return cached.ids();
  }

  /** Drops cached peers that are no longer in the tailnet. */
  public void retainPeers(Set<Long> nodeIds) {
    peerCache.keySet().retainAll(nodeIds);
    peerVariants.keySet().retainAll(nodeIds);
    filterCache.keySet().retainAll(nodeIds);
    SharedNodes.retain(nodeIds);
  }

  /** What {@code nodeId} should see now, or null if the node is not in the tailnet. */
  public NodeMap build(long nodeId, Tailnet t, Instant now) {
    NodeView view = t.nodes().get(nodeId);
    if (view == null) {
      return null;
    }
    CompiledPolicy policy = t.policy();
    Node self = node(view, t, now, true);
    PeerTable<Node> peers;
    Map<Long, Boolean> online;
    if (!expired(view, now)) {
      // in id order, so the tables fill by appending
      java.util.Collection<Long> visible =
          policy == null ? everyNodeInOrder(t) : policy.peersOf(nodeId);
      peers = new PeerTable<>(visible.size());
      online = peers.flags();
      for (Long id : visible) {
        NodeView peer = t.nodes().get(id);
        NodeConnectivity c = t.connectivity().get(id);
        // a peer without a disco key cannot be reached; it appears once its client reports one
        if (peer == null
            || id == nodeId
            || c == null
            || c.discoKey() == null
            || expired(peer, now)) {
          continue;
        }
        peers.put(id, peerFor(nodeId, peer, t, now));
        online.put(id, t.online(id));
      }
      peers.trimmed();
    } else {
      peers = new PeerTable<>(0);
      online = peers.flags();
    }
    List<FilterRule> filter = policy == null ? FilterRule.ALLOW_ALL : filter(policy, nodeId);
    Object ssh = policy == null ? null : settings.sshActionUrl().onto(policy.sshPolicyFor(nodeId));
    return new NodeMap(self, peers, online, filter, profiles(view, peers.values(), t), ssh);
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
   * only a rebuild is right.
   */
  public Patched patchPeers(
      NodeMap m,
      long viewerId,
      Map<Long, Boolean> changed,
      boolean rules,
      boolean selfChanged,
      Tailnet t,
      Instant now) {
    NodeView viewer = t.nodes().get(viewerId);
    if (viewer == null) {
      return null;
    }
    boolean viewerExpired = expired(viewer, now);
    if (selfChanged && viewerExpired) {
      return null;
    }
    Node self = selfChanged ? node(viewer, t, now, true) : m.self();
    Map<Long, Boolean> patched = withRoutersIfRoutesMayDiffer(m, changed, rules, t);
    Map<Long, Node> beforePeers = new TreeMap<>();
    Map<Long, Boolean> beforeOnline = new HashMap<>();
    Map<Long, Node> afterPeers = new TreeMap<>();
    Map<Long, Boolean> afterOnline = new HashMap<>();
    List<UserProfile> profiles = m.userProfiles();
    List<UserProfile> newProfiles = new ArrayList<>();
    Set<Long> shownUsers = null;
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
                  && !expired(peer, now)
              ? peerFor(viewerId, peer, t, now)
              : null;
      Node old = m.peers().get(peerId);
      Boolean wasOnline = m.online().get(peerId);
      if (old != null) {
        beforePeers.put(peerId, old);
      }
      if (wasOnline != null) {
        beforeOnline.put(peerId, wasOnline);
      }
      if (fresh == null) {
        continue;
      }
      afterPeers.put(peerId, fresh);
      afterOnline.put(peerId, t.online(peerId));
      if (old == null || old.user() != fresh.user()) {
        if (shownUsers == null) {
          shownUsers = new HashSet<>();
          for (UserProfile u : profiles) {
            shownUsers.add(u.id());
          }
        }
        if (shownUsers.add(fresh.user())) {
          newProfiles.add(profile(fresh.user(), t));
        }
      }
    }
    if (!newProfiles.isEmpty()) {
      List<UserProfile> all = new ArrayList<>(profiles);
      all.addAll(newProfiles);
      profiles = List.copyOf(all);
    }
    List<FilterRule> filter = m.packetFilter();
    Object ssh = m.sshPolicy();
    if (rules) {
      CompiledPolicy policy = t.policy();
      filter = policy == null ? FilterRule.ALLOW_ALL : filter(policy, viewerId);
      ssh = policy == null ? null : settings.sshActionUrl().onto(policy.sshPolicyFor(viewerId));
    }
    MapResponse delta =
        delta(
            new NodeMap(
                m.self(), beforePeers, beforeOnline, m.packetFilter(), List.of(), m.sshPolicy()),
            new NodeMap(self, afterPeers, afterOnline, filter, newProfiles, ssh),
            t,
            now);
    if (delta == null) {
      return new Patched(m, null);
    }
    Map<Long, Node> peers = m.peers();
    Map<Long, Boolean> online = m.online();
    Runnable edits =
        () -> {
          for (Long peerId : patched.keySet()) {
            Node fresh = afterPeers.get(peerId);
            if (fresh == null) {
              peers.remove(peerId);
              online.remove(peerId);
            } else {
              peers.put(peerId, fresh);
              online.put(peerId, afterOnline.get(peerId));
            }
          }
        };
    return new Patched(new NodeMap(self, peers, online, filter, profiles, ssh), delta, edits);
  }

  /**
   * A stream's view once the users in {@code changed} were renamed or otherwise edited: the
   * profiles it shows of them are replaced; the delta carries those profiles alone (null when the
   * stream shows none of them, or they look the same).
   */
  public Patched patchProfiles(NodeMap m, Set<Long> changed, Tailnet t, Instant now) {
    List<UserProfile> profiles = new ArrayList<>(m.userProfiles().size());
    List<UserProfile> fresh = new ArrayList<>();
    for (UserProfile p : m.userProfiles()) {
      UserProfile updated = changed.contains(p.id()) ? profile(p.id(), t) : p;
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
            time(now),
            null,
            null,
            null);
    return new Patched(after, delta);
  }

  private Node peer(NodeView v, Tailnet t, Instant now) {
    Object policyText = t.policy() == null ? null : t.policy().policy();
    NodeConnectivity c = t.connectivity().get(v.id());
    List<IpPrefix> served = t.policy() == null ? null : t.policy().servedRoutes(v.id());
    boolean expired = expired(v, now);
    CachedPeer hit = peerCache.get(v.id());
    if (fits(hit, policyText, v, c, served, expired)) {
      if (hit.connectivity() != c || hit.view() != v || hit.served() != served) {
        // equal records in newer instances (the node re-read, or came online): remember these,
        // so the next view matches them by identity instead of comparing them field by field
        peerCache.replace(
            v.id(), hit, new CachedPeer(hit.policy(), v, c, served, hit.expired(), hit.node()));
      }
      return hit.node();
    }
    // built once per change even when views are built in parallel: the first thread builds, the
    // others wait for it on this key
    return peerCache
        .compute(
            v.id(),
            (id, cur) -> {
              if (fits(cur, policyText, v, c, served, expired)) {
                return cur;
              }
              Node n = node(v, t, now, false);
              if (cur != null && cur.node().equals(n)) {
                // the same peer as before (a policy change that does not concern it): keep the
                // instance every stream holds, so the streams' views still compare by identity
                n = cur.node();
              }
              return new CachedPeer(policyText, v, c, served, expired, n);
            })
        .node();
  }

  /**
   * The peer as the viewer is shown it: the shared entry, unless the peer serves routes (each
   * viewer is shown those the policy lets it reach, on the primary router) or either has {@code
   * disable-ipv4}; such variants are shared between viewers that are shown the same.
   */
  private Node peerFor(long viewerId, NodeView v, Tailnet t, Instant now) {
    Node base = peer(v, t, now);
    CompiledPolicy policy = t.policy();
    boolean ipv4 = policy == null || policy.showsIpv4(viewerId, v.id());
    if (ipv4 && base.allowedIps().size() == base.addresses().size()) {
      return base;
    }
    List<IpPrefix> allowed = new ArrayList<>();
    List<IpPrefix> primary = new ArrayList<>();
    if (base.allowedIps().size() > base.addresses().size()) {
      PrimaryRoutes primaries = primaries(t);
      if (policy != null) {
        PeerRoutes shown = policy.routesShown(viewerId, v.id(), primaries);
        allowed.addAll(shown.allowed());
        primary.addAll(shown.primary());
      } else {
        // no policy: everyone may reach every route; the primary router shows it
        for (String r : servedRoutes(v, t)) {
          IpPrefix p = IpPrefix.parse(r);
          if (primaries.isPrimary(v.id(), p)) {
            allowed.add(p);
            if (!p.isDefaultRoute()) {
              primary.add(p);
            }
          }
        }
      }
    }
    VariantKey key = new VariantKey(allowed, primary, ipv4);
    Variants variants = peerVariants.get(v.id());
    if (variants == null || variants.base() != base) {
      variants = new Variants(base, new ConcurrentHashMap<>());
      peerVariants.put(v.id(), variants);
    }
    return variants.byKey().computeIfAbsent(key, k -> variant(base, k));
  }

  private record VariantKey(List<IpPrefix> allowed, List<IpPrefix> primary, boolean ipv4) {}

  private record Variants(Node base, Map<VariantKey, Node> byKey) {}

  /** Per routing peer, the entries viewers are shown of it (see {@link #peerFor}). */
  private final Map<Long, Variants> peerVariants = new ConcurrentHashMap<>();

  private static Node variant(Node base, VariantKey k) {
    List<String> addresses = new ArrayList<>();
    for (String a : base.addresses()) {
      if (k.ipv4() || a.contains(":")) {
        addresses.add(a);
      }
    }
    List<String> allowed = new ArrayList<>(addresses);
    k.allowed().forEach(r -> allowed.add(r.toString()));
    List<String> primary = k.primary().stream().map(IpPrefix::toString).toList();
    return new Node(
        base.id(),
        base.stableId(),
        base.name(),
        base.user(),
        base.key(),
        base.keyExpiry(),
        base.machine(),
        base.discoKey(),
        List.copyOf(addresses),
        List.copyOf(allowed),
        base.endpoints(),
        base.homeDerp(),
        base.hostinfo(),
        base.created(),
        base.cap(),
        base.tags(),
        primary.isEmpty() ? null : primary,
        base.lastSeen(),
        base.online(),
        base.machineAuthorized(),
        base.capMap(),
        base.expired());
  }

  /** The primary router of each subnet route, elected once per tailnet state (see below). */
  private record Election(
      Object policy,
      Map<Long, NodeView> nodes,
      Map<Long, NodeConnectivity> connectivity,
      Set<Long> streaming,
      PrimaryRoutes primaries,
      Set<Long> routers) {

    /** Made from this very state of the tailnet (its parts are immutable, so identity will do). */
    boolean heldFor(Tailnet t) {
      return policy == t.policy()
          && nodes == t.nodes()
          && connectivity == t.connectivity()
          && streaming == t.streaming();
    }
  }

  private volatile Election election;

  /**
   * The primaries for this state of the tailnet. Every view built from one state shares the result;
   * the previous election is kept where its primary is still online, so a router that returns does
   * not take its routes back (no flapping), and views never disagree.
   */
  PrimaryRoutes primaries(Tailnet t) {
    return elected(t).primaries();
  }

  private Election elected(Tailnet t) {
    Election e = election;
    if (e != null && e.heldFor(t)) {
      return e;
    }
    synchronized (this) {
      e = election;
      if (e != null && e.heldFor(t)) {
        return e;
      }
      Map<Long, List<IpPrefix>> served;
      if (t.policy() != null) {
        served = t.policy().servedRoutesByNode();
      } else {
        served = new HashMap<>();
        for (NodeView v : t.nodes().values()) {
          if (v.approvedRoutes() != null && !v.approvedRoutes().isEmpty()) {
            served.put(v.id(), servedRoutes(v, t).stream().map(IpPrefix::parse).toList());
          }
        }
      }
      PrimaryRoutes elected =
          PrimaryRoutes.elect(served, t::online, e == null ? null : e.primaries());
      e =
          new Election(
              t.policy(),
              t.nodes(),
              t.connectivity(),
              t.streaming(),
              elected,
              Set.copyOf(served.keySet()));
      election = e;
      return e;
    }
  }

  /**
   * A router's routes as others see them depend on the other routers (which one is primary) and on
   * the viewer's own rules: when a router changed, or the viewer's rules, every routing peer the
   * viewer holds is looked at again.
   */
  private Map<Long, Boolean> withRoutersIfRoutesMayDiffer(
      NodeMap m, Map<Long, Boolean> changed, boolean rules, Tailnet t) {
    boolean routers = rules;
    for (Long id : changed.keySet()) {
      NodeView v = t.nodes().get(id);
      Node old = m.peers().get(id);
      routers |=
          (old != null && old.allowedIps().size() > old.addresses().size())
              || (v != null && !servedRoutes(v, t).isEmpty());
      if (routers) {
        break;
      }
    }
    if (!routers) {
      return changed;
    }
    Map<Long, Boolean> out = null;
    for (Long id : elected(t).routers()) {
      if (changed.containsKey(id) || !m.peers().containsKey(id)) {
        continue;
      }
      if (out == null) {
        out = new HashMap<>(changed);
      }
      out.put(id, true);
    }
    return out == null ? changed : out;
  }

  /**
   * Identity first: within one tailnet the same records come back for every viewer; another policy
   * may show any peer differently (served routes, capabilities), a node change keeps it.
   */
  private static boolean fits(
      CachedPeer hit,
      Object policy,
      NodeView v,
      NodeConnectivity c,
      List<IpPrefix> served,
      boolean expired) {
    return hit != null
        && hit.policy() == policy
        && hit.expired() == expired
        && (hit.view() == v || hit.view().equals(v))
        && (hit.connectivity() == c || sameReach(hit.connectivity(), c))
        && (hit.served() == served || Objects.equals(hit.served(), served));
  }

  /**
   * What a peer entry is built from in a connectivity row: its presence (online, last seen) goes
   * into each message separately, so a node coming online does not rebuild its entry.
   */
  private static boolean sameReach(NodeConnectivity a, NodeConnectivity b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.discoKey(), b.discoKey())
        && Objects.equals(a.homeDerp(), b.homeDerp())
        && a.endpoints().equals(b.endpoints())
        && Objects.equals(a.hostinfo(), b.hostinfo());
  }

  /** The complete first message of a stream. */
  public MapResponse full(NodeMap m, Tailnet t, Instant now) {
    List<Node> peers = new ArrayList<>();
    m.peers().forEach((id, p) -> peers.add(withPresence(p, t, id)));
    return new MapResponse(
        null,
        m.self(),
        settings.derpMap(),
        peers,
        null,
        null,
        null,
        dns(),
        domain(),
        false,
        m.packetFilter(),
        m.userProfiles(),
        time(now),
        new MapResponse.Debug(true),
        null,
        m.sshPolicy());
  }

  /**
   * What changed from {@code before} to {@code after}, as one delta message, or null when nothing
   * did. A peer whose only changes are endpoints, disco key or home DERP goes out as a
   * PeersChangedPatch.
   */
  public MapResponse delta(NodeMap before, NodeMap after, Tailnet t, Instant now) {
    Node self = Objects.equals(before.self(), after.self()) ? null : after.self();
    List<Node> changed = new ArrayList<>();
    List<PeerChange> patches = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    Map<String, Boolean> onlineChange = new TreeMap<>();
    if (before.peers() instanceof PeerTable<Node> was
        && after.peers() instanceof PeerTable<Node> is
        && was.flaggedBy(before.online())
        && is.flaggedBy(after.online())) {
      // both in id order: one walk over the two, no lookups
      int i = 0;
      int j = 0;
      while (i < was.size() || j < is.size()) {
        long wasId = i < was.size() ? was.idAt(i) : Long.MAX_VALUE;
        long isId = j < is.size() ? is.idAt(j) : Long.MAX_VALUE;
        if (isId < wasId) {
          changed.add(withPresence(is.valueAt(j++), t, isId));
        } else if (wasId < isId) {
          removed.add(wasId);
          i++;
        } else {
          comparePeer(
              isId,
              was.valueAt(i),
              is.valueAt(j),
              was.flagAt(i++),
              is.flagAt(j++),
              t,
              changed,
              patches,
              onlineChange);
        }
      }
    } else {
      after
          .peers()
          .forEach(
              (id, p) -> {
                Node old = before.peers().get(id);
                if (old == null) {
                  changed.add(withPresence(p, t, id));
                } else {
                  comparePeer(
                      id,
                      old,
                      p,
                      before.online().get(id),
                      after.online().get(id),
                      t,
                      changed,
                      patches,
                      onlineChange);
                }
              });
      before.peers().keySet().stream()
          .filter(id -> !after.peers().containsKey(id))
          .forEach(removed::add);
    }
    List<FilterRule> filter =
        Objects.equals(before.packetFilter(), after.packetFilter()) ? null : after.packetFilter();
    List<UserProfile> profiles = new ArrayList<>(after.userProfiles());
    // a view can show hundreds of users: look them up, do not scan
    profiles.removeAll(new java.util.HashSet<>(before.userProfiles()));
    Object ssh = Objects.equals(before.sshPolicy(), after.sshPolicy()) ? null : after.sshPolicy();
    if (self == null
        && changed.isEmpty()
        && patches.isEmpty()
        && removed.isEmpty()
        && onlineChange.isEmpty()
        && filter == null
        && profiles.isEmpty()
        && ssh == null) {
      return null;
    }
    return new MapResponse(
        null,
        self,
        null,
        null,
        changed.isEmpty() ? null : changed,
        removed.isEmpty() ? null : removed,
        onlineChange.isEmpty() ? null : onlineChange,
        null,
        null,
        null,
        filter,
        profiles.isEmpty() ? null : profiles,
        time(now),
        null,
        patches.isEmpty() ? null : patches,
        ssh);
  }

  /** One peer both views hold: a full entry, a patch, an online change, or nothing. */
  private static void comparePeer(
      long id,
      Node old,
      Node p,
      Boolean was,
      Boolean is,
      Tailnet t,
      List<Node> changed,
      List<PeerChange> patches,
      Map<String, Boolean> onlineChange) {
    // peers are shared between views (the builder's cache): most compare by identity
    if (old != p && !old.equals(p)) {
      PeerChange patch = patch(old, p);
      if (patch != null) {
        patches.add(patch);
      } else {
        changed.add(withPresence(p, t, id));
      }
    } else {
      if (!Objects.equals(was, is)) {
        onlineChange.put(Long.toString(id), is);
      }
    }
  }

  /** The node's MagicDNS name: its given name under the base domain, with Go's trailing dot. */
  public String fqdn(NodeView view) {
    String base = settings.baseDomain();
    return base.isEmpty() ? view.givenName() + "." : view.givenName() + "." + base + ".";
  }

  static boolean expired(NodeView view, Instant now) {
    return view.expiry() != null && !view.expiry().isAfter(now);
  }

  private Node node(NodeView v, Tailnet t, Instant now, boolean self) {
    NodeConnectivity c = t.connectivity().get(v.id());
    boolean expired = expired(v, now);
    List<String> addresses = addresses(v);
    if (self && t.policy() != null && !t.policy().showsIpv4(v.id(), v.id())) {
      addresses = addresses.stream().filter(a -> a.contains(":")).toList();
    }
    List<String> allowed = new ArrayList<>(addresses);
    List<String> primary = new ArrayList<>();
    List<String> served = servedRoutes(v, t);
    // as its own node a router shows only the routes it is primary for; as a peer, each viewer is
    // shown its own selection of them (peerFor)
    PrimaryRoutes primaries = self && !served.isEmpty() ? primaries(t) : null;
    for (String route : served) {
      if (!allowed.contains(route)) {
        allowed.add(route);
      }
      if (!route.equals("0.0.0.0/0")
          && !route.equals("::/0")
          && (primaries == null || primaries.isPrimary(v.id(), IpPrefix.parse(route)))) {
        primary.add(route);
      }
    }
    return new Node(
        v.id(),
        Long.toString(v.id()),
        fqdn(v),
        v.userId(),
        v.nodeKey(),
        v.expiry() == null ? null : time(v.expiry()),
        v.machineKey(),
        c == null ? null : c.discoKey(),
        addresses,
        allowed,
        c == null || c.endpoints().isEmpty() ? null : c.endpoints(),
        c == null ? null : c.homeDerp(),
        hostinfo(v, c),
        v.createdAt() == null ? null : time(v.createdAt()),
        null,
        v.tags() == null || v.tags().isEmpty() ? null : v.tags(),
        primary.isEmpty() ? null : primary,
        null,
        null,
        !expired,
        self ? selfCaps(t, v.id()) : peerCaps(t, v.id()),
        expired ? Boolean.TRUE : null);
  }

  /**
   * The peer with its presence (online, last seen) as every viewer sees it: one shared instance
   * while neither changes, written once however many messages carry it.
   */
  private static Node withPresence(Node p, Tailnet t, long id) {
    boolean online = t.online(id);
    NodeConnectivity c = t.connectivity().get(id);
    Instant lastSeen = online || c == null ? null : c.lastSeen();
    return SharedNodes.withPresence(p, lastSeen, online, MapBuilder::time);
  }

  private static PeerChange patch(Node old, Node now) {
    Node reverted =
        new Node(
            now.id(),
            now.stableId(),
            now.name(),
            now.user(),
            now.key(),
            now.keyExpiry(),
            now.machine(),
            old.discoKey(),
            now.addresses(),
            now.allowedIps(),
            old.endpoints(),
            old.homeDerp(),
            now.hostinfo(),
            now.created(),
            now.cap(),
            now.tags(),
            now.primaryRoutes(),
            now.lastSeen(),
            now.online(),
            now.machineAuthorized(),
            now.capMap(),
            now.expired());
    if (!reverted.equals(old)) {
      return null;
    }
    return new PeerChange(
        now.id(),
        Objects.equals(old.homeDerp(), now.homeDerp()) ? null : now.homeDerp(),
        Objects.equals(old.discoKey(), now.discoKey()) ? null : now.discoKey(),
        Objects.equals(old.endpoints(), now.endpoints())
            ? null
            : now.endpoints() == null ? List.of() : now.endpoints());
  }

  private static List<String> addresses(NodeView v) {
    List<String> out = new ArrayList<>();
    for (String ip : v.ipAddresses()) {
      out.add(ip + (ip.contains(":") ? "/128" : "/32"));
    }
    return out;
  }

  private static List<String> servedRoutes(NodeView v, Tailnet t) {
    if (t.policy() != null) {
      List<String> out = new ArrayList<>();
      for (IpPrefix p : t.policy().servedRoutes(v.id())) {
        out.add(p.toString());
      }
      return out;
    }
    // no policy, no autoApprovers: a route is served once it is both advertised and approved
    List<String> out = new ArrayList<>();
    for (String r : v.approvedRoutes() == null ? List.<String>of() : v.approvedRoutes()) {
      if (advertised(v, t).contains(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Routes the node advertises: the read model's available routes and the client's latest Hostinfo.
   */
  static Set<String> advertised(NodeView v, Tailnet t) {
    return advertised(v, t.connectivity().get(v.id()));
  }

  static Set<String> advertised(NodeView v, NodeConnectivity c) {
    Set<String> out =
        new LinkedHashSet<>(v.availableRoutes() == null ? List.of() : v.availableRoutes());
    JsonNode hostinfo = parse(c);
    if (hostinfo != null && hostinfo.path("RoutableIPs").isArray()) {
      hostinfo.path("RoutableIPs").forEach(r -> out.add(r.asText()));
    }
    return out;
  }

  private static JsonNode hostinfo(NodeView v, NodeConnectivity c) {
    JsonNode stored = parse(c);
    if (stored != null) {
      return stored;
    }
    ObjectNode minimal = JsonNodeFactory.instance.objectNode();
    minimal.put("Hostname", v.hostname());
    return minimal;
  }

  private static JsonNode parse(NodeConnectivity c) {
    if (c == null || c.hostinfo() == null) {
      return null;
    }
    try {
      return TailcfgJson.MAPPER.readTree(c.hostinfo());
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static Map<String, List<JsonNode>> selfCaps(Tailnet t, long nodeId) {
    Map<String, List<JsonNode>> caps = new LinkedHashMap<>();
    if (t.policy() != null) {
      // nodeAttrs first: a capability the policy gives with values keeps them
      caps.putAll(t.policy().nodeCapabilities(nodeId));
    }
    caps.putIfAbsent(CAP_ADMIN, List.of());
    caps.putIfAbsent(CAP_FILE_SHARING, List.of());
    if (t.policy() != null && !t.policy().policy().ssh().isEmpty()) {
      caps.putIfAbsent(CAP_SSH, List.of());
    }
    // a bare JSON literal: the client compares the raw text
    caps.putIfAbsent(CAP_AUTO_UPDATE, List.of(JsonNodeFactory.instance.booleanNode(false)));
    return caps;
  }

  /**
   * What a peer shows of its policy capabilities (suggest-exit-node on exit nodes); null when
   * nothing.
   */
  private static Map<String, List<JsonNode>> peerCaps(Tailnet t, long nodeId) {
    Map<String, List<JsonNode>> caps =
        t.policy() == null ? Map.of() : t.policy().peerCapabilities(nodeId);
    return caps.isEmpty() ? null : caps;
  }

  /**
   * A node's packet filter in tailcfg form, converted once per compiled filter: the compiled policy
   * hands out the same list until the node's filter changes, so identity says when to convert
   * again, and streams keep sharing (and comparing by identity) one converted list.
   */
  private List<FilterRule> filter(CompiledPolicy policy, long nodeId) {
    List<io.ledgerscale.domain.policy.compile.FilterRule> compiled = policy.filterFor(nodeId);
    ConvertedFilter hit = filterCache.get(nodeId);
    if (hit != null && hit.compiled() == compiled) {
      return hit.converted();
    }
    List<FilterRule> converted = convert(compiled);
    filterCache.put(nodeId, new ConvertedFilter(compiled, converted));
    return converted;
  }

  private record ConvertedFilter(
      List<io.ledgerscale.domain.policy.compile.FilterRule> compiled, List<FilterRule> converted) {}

  private final Map<Long, ConvertedFilter> filterCache = new ConcurrentHashMap<>();

  private static List<FilterRule> convert(
      List<io.ledgerscale.domain.policy.compile.FilterRule> compiled) {
    List<FilterRule> out = new ArrayList<>();
    for (io.ledgerscale.domain.policy.compile.FilterRule r : compiled) {
      List<FilterRule.NetPortRange> dsts = new ArrayList<>();
      r.dstPorts()
          .forEach(
              d ->
                  dsts.add(
                      new FilterRule.NetPortRange(
                          d.ip(), new FilterRule.PortRange(d.ports().first(), d.ports().last()))));
      List<FilterRule.CapGrant> caps =
          r.capGrant().stream().map(g -> new FilterRule.CapGrant(g.dsts(), g.capMap())).toList();
      out.add(
          new FilterRule(
              r.srcIps(),
              dsts,
              r.ipProto().isEmpty() ? null : r.ipProto(),
              caps.isEmpty() ? null : caps));
    }
    return List.copyOf(out);
  }

  private static List<UserProfile> profiles(
      NodeView self, java.util.Collection<Node> peers, Tailnet t) {
    Map<Long, UserProfile> out = new LinkedHashMap<>();
    out.put(self.userId(), profile(self.userId(), t));
    for (Node p : peers) {
      if (!out.containsKey(p.user())) {
        out.put(p.user(), profile(p.user(), t));
      }
    }
    return List.copyOf(out.values());
  }

  private static UserProfile profile(long userId, Tailnet t) {
    if (Owner.ofShownId(userId).isTagged()) {
      return TAGGED_DEVICES;
    }
    UserView u = t.users().get(userId);
    if (u == null) {
      return new UserProfile(userId, "user-" + userId, "user-" + userId, null);
    }
    String login = u.email() != null && !u.email().isBlank() ? u.email() : u.name();
    String display =
        u.displayName() != null && !u.displayName().isBlank() ? u.displayName() : u.name();
    return new UserProfile(u.id(), login, display, u.pictureUrl());
  }

  private DNSConfig dns() {
    List<DNSConfig.Resolver> global =
        settings.globalNameservers().stream().map(DNSConfig.Resolver::new).toList();
    Map<String, List<DNSConfig.Resolver>> routes = new LinkedHashMap<>();
    settings
        .splitNameservers()
        .forEach(
            (domain, servers) ->
                routes.put(domain, servers.stream().map(DNSConfig.Resolver::new).toList()));
    List<String> domains = new ArrayList<>();
    if (settings.magicDns() && !settings.baseDomain().isEmpty()) {
      domains.add(settings.baseDomain());
      // answered by the client's own resolver; empty lists, never null (a null route is dropped by
      // the client)
      routes.putIfAbsent(settings.baseDomain() + ".", List.of());
      REVERSE_ZONES.forEach(z -> routes.putIfAbsent(z, List.of()));
    }
    domains.addAll(settings.searchDomains());
    return new DNSConfig(
        settings.overrideLocalDns() && !global.isEmpty() ? global : null,
        routes.isEmpty() ? null : routes,
        !settings.overrideLocalDns() && !global.isEmpty() ? global : null,
        domains.isEmpty() ? null : domains,
        settings.magicDns(),
        extraRecords.isEmpty() ? null : extraRecords,
        null);
  }

  private String domain() {
    return settings.baseDomain().isEmpty() ? "ledgerscale.net" : settings.baseDomain();
  }

  /** 100.64.0.0/10 and fd7a:115c:a1e0::/48, the tailnet's address ranges, as reverse DNS zones. */
  private static List<String> reverseZones() {
    List<String> z = new ArrayList<>();
    for (int i = 64; i <= 127; i++) {
      z.add(i + ".100.in-addr.arpa.");
    }
    z.add("0.e.1.a.c.5.1.1.a.7.d.f.ip6.arpa.");
    return List.copyOf(z);
  }

  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
