// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.PeerRoutes;
import io.ledgerscale.domain.policy.compile.PrimaryRoutes;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.gateway.tailcfg.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The peer entries views are made of: a peer looks the same to every node that sees it, so it is
 * built once and shared until one of its inputs changes; a routing peer (or one behind {@code
 * disable-ipv4}) is shown per viewer, through variants shared between viewers shown the same.
 */
final class PeerEntries {
  private final NodeEntries nodes;
  private final RouteElection election;

  PeerEntries(NodeEntries nodes, RouteElection election) {
    this.nodes = nodes;
    this.election = election;
  }

  /**
   * A peer looks the same to every node that sees it, so it is built once and reused until one of
   * its inputs changes; with thousands of streams this is most of the work of a change. Views may
   * be built on several threads at once ({@link MapBuilder#build}, {@link MapBuilder#delta}); the
   * one-peer updates of a stream's view run on one.
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

  /** The peer as every viewer is shown it, built once per change of its inputs. */
  private Node peer(NodeView v, MapSnapshot t, Instant now) {
    Object policyText = t.policy() == null ? null : t.policy().policy();
    NodeConnectivity c = t.connectivity().get(v.id());
    List<IpPrefix> served = t.policy() == null ? null : t.policy().servedRoutes(v.id());
    boolean expired = NodeEntries.expired(v, now);
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
              Node n = nodes.node(v, t, now, false);
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
  Node peerFor(long viewerId, NodeView v, MapSnapshot t, Instant now) {
    Node base = peer(v, t, now);
    CompiledPolicy policy = t.policy();
    boolean ipv4 = policy == null || policy.showsIpv4(viewerId, v.id());
    if (ipv4 && base.allowedIps().size() == base.addresses().size()) {
      return base;
    }
    List<IpPrefix> allowed = new ArrayList<>();
    List<IpPrefix> primary = new ArrayList<>();
    if (base.allowedIps().size() > base.addresses().size()) {
      PrimaryRoutes primaries = election.primaries(t);
      if (policy != null) {
        PeerRoutes shown = policy.routesShown(viewerId, v.id(), primaries);
        allowed.addAll(shown.allowed());
        primary.addAll(shown.primary());
      } else {
        // no policy: everyone may reach every route; the primary router shows it
        for (String r : NodeEntries.servedRoutes(v, t)) {
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

  /** Drops the entries of peers that are no longer in the tailnet. */
  void retain(Set<Long> nodeIds) {
    peerCache.keySet().retainAll(nodeIds);
    peerVariants.keySet().retainAll(nodeIds);
  }

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

  /**
   * A router's routes as others see them depend on the other routers (which one is primary) and on
   * the viewer's own rules: when a router changed, or the viewer's rules, every routing peer the
   * viewer holds is looked at again.
   */
  Map<Long, Boolean> withRoutersIfRoutesMayDiffer(
      NodeMap m, Map<Long, Boolean> changed, boolean rules, MapSnapshot t) {
    Set<Long> serving = election.routers(t);
    if (serving.isEmpty()) {
      // no router to add, whatever changed: what follows looked up every changed peer twice in
      // every stream's view, a fifth of the views' time in a 5,000-node connect
      return changed;
    }
    boolean routers = rules;
    for (Long id : changed.keySet()) {
      NodeView v = t.nodes().get(id);
      Node old = m.peers().get(id);
      routers |=
          (old != null && old.allowedIps().size() > old.addresses().size())
              || (v != null && !NodeEntries.servedRoutes(v, t).isEmpty());
      if (routers) {
        break;
      }
    }
    if (!routers) {
      return changed;
    }
    Map<Long, Boolean> out = null;
    for (Long id : serving) {
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
        && ReportedConnectivity.sameHostinfo(a.hostinfo(), b.hostinfo());
  }
}
