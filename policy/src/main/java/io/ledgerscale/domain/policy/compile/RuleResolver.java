// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.AccessRule;
import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.AutoGroupKind;
import io.ledgerscale.domain.policy.Destination;
import io.ledgerscale.domain.policy.PortRange;
import io.ledgerscale.domain.policy.compile.CompiledRule.Entry;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.net.IpRange;
import io.ledgerscale.domain.policy.net.IpSet;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves one access rule against the tailnet into a {@link CompiledRule}: its sources once
 * (shared by rules with the same source list), then its destinations, app capabilities or via
 * routers.
 */
final class RuleResolver {
  private RuleResolver() {}

  /**
   * Resolved sources, shared by rules with the same source list (many rules say autogroup:member or
   * *).
   */
  record Sources(List<String> strings, IpSet set, boolean everything, Set<Long> nodes) {}

  static CompiledRule build(int index, AccessRule rule, TailnetIndex idx) {
    return build(index, rule, idx, new java.util.HashMap<>());
  }

  static CompiledRule build(
      int index, AccessRule rule, TailnetIndex idx, Map<List<Alias>, Sources> sourceCache) {
    Sources sources = sourceCache.computeIfAbsent(rule.sources(), k -> resolveSources(rule, idx));
    List<String> srcStrings = sources.strings();
    IpSet srcSet = sources.set();
    boolean dangerAll = sources.everything();
    Set<Long> srcNodes = sources.nodes();
    if (rule.isApp()) {
      return rule.via().isEmpty()
          ? appRule(index, rule, idx, sources)
          : viaRule(index, rule, idx, sources);
    }

    // ---- destinations ----
    List<NetPortRange> wildcardDsts = new ArrayList<>();
    Map<Long, List<NetPortRange>> byNode = new LinkedHashMap<>();
    List<PortRange> selfPorts = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    List<Entry> addressEntries = new ArrayList<>();
    for (Destination d : rule.destinations()) {
      Alias a = d.alias();
      if (a instanceof Alias.Wildcard) {
        for (PortRange pr : d.ports()) {
          NetPortRange w = new NetPortRange("*", pr);
          wildcardDsts.add(w);
          entries.add(new Entry(w, null, true, false));
        }
        continue;
      }
      if (a instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.INTERNET) {
        // exit nodes get the public ranges in their filter, as Tailscale sends them
        for (Long id : idx.routeNodes()) {
          if (!idx.isExitNode(id)) {
            continue;
          }
          List<NetPortRange> list = byNode.computeIfAbsent(id, k -> new ArrayList<>());
          for (IpRange r : TailnetRanges.INTERNET_FILTER_RANGES) {
            for (PortRange pr : d.ports()) {
              NetPortRange w = new NetPortRange(r.first() + "-" + r.last(), pr);
              list.add(w);
              entries.add(new Entry(w, r, false, true));
            }
          }
        }
        continue;
      }
      if (a instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.SELF) {
        selfPorts.addAll(d.ports());
        continue;
      }
      IpPrefix p = idx.prefixOf(a);
      if (p != null) {
        for (PortRange pr : d.ports()) {
          Entry e = new Entry(new NetPortRange(p.toFilterString(), pr), p.range(), false, true);
          entries.add(e);
          addressEntries.add(e);
        }
        continue;
      }
      for (Long id : idx.nodesOf(a)) {
        List<NetPortRange> list = byNode.computeIfAbsent(id, k -> new ArrayList<>());
        for (IpAddress addr : idx.node(id).addresses()) {
          for (PortRange pr : d.ports()) {
            NetPortRange w = new NetPortRange(addr.toString(), pr);
            list.add(w);
            Entry e = new Entry(w, IpPrefix.single(addr).range(), false, false);
            entries.add(e);
          }
        }
      }
    }
    // address destinations land on nodes inside them, routers for them, and exit nodes for public
    // ranges
    Set<Long> candidates = new LinkedHashSet<>(idx.routeNodes());
    for (Entry e : addressEntries) {
      IpPrefix prefix = e.range().asPrefix();
      if (prefix != null) {
        candidates.addAll(idx.nodesWithAddressIn(prefix));
      } else {
        for (TailnetNode n : idx.snapshot.nodes()) {
          candidates.add(n.id());
        }
      }
    }
    for (Long id : candidates) {
      for (Entry e : addressEntries) {
        if (idx.nodeReceives(id, e.range(), false)) {
          byNode.computeIfAbsent(id, k -> new ArrayList<>()).add(e.wire());
        }
      }
    }
    // routers also receive node-address entries that fall inside a route they serve
    for (Long id : idx.routeNodes()) {
      List<IpPrefix> subnets = idx.subnetRoutes(id);
      if (subnets.isEmpty()) {
        continue;
      }
      List<IpRange> subnetRanges = subnets.stream().map(IpPrefix::range).toList();
      List<IpAddress> ownAddresses = idx.node(id).addresses();
      for (Entry e : entries) {
        if (e.everything() || e.address()) {
          continue;
        }
        boolean inRoute = false;
        for (IpRange r : subnetRanges) {
          inRoute |= r.overlaps(e.range());
        }
        boolean own = false;
        for (IpAddress x : ownAddresses) {
          own |= e.range().contains(x);
        }
        if (inRoute && !own) {
          byNode.computeIfAbsent(id, k -> new ArrayList<>()).add(e.wire());
        }
      }
    }
    if (!rule.via().isEmpty()) {
      return viaRule(index, rule, idx, sources);
    }
    Map<Long, List<NetPortRange>> frozen = new HashMap<>();
    byNode.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new CompiledRule(
        index,
        rule,
        srcStrings,
        srcSet,
        dangerAll,
        srcNodes,
        List.copyOf(wildcardDsts),
        Collections.unmodifiableMap(frozen),
        List.copyOf(selfPorts),
        List.copyOf(entries));
  }

  /**
   * An app rule: each destination alias becomes one CapGrant on every node it names, with that
   * node's own addresses as Dsts (a range naming the node is narrowed to its addresses; a subnet
   * router whose approved route overlaps an address destination gets the destination as written).
   */
  private static CompiledRule appRule(
      int index, AccessRule rule, TailnetIndex idx, Sources sources) {
    Map<Long, List<CapGrant>> caps = new HashMap<>();
    boolean self = false;
    for (Destination d : rule.destinations()) {
      Alias a = d.alias();
      Map<Long, Set<String>> dsts = new LinkedHashMap<>();
      if (a instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.SELF) {
        self = true;
        continue;
      }
      if (a instanceof Alias.Wildcard) {
        for (TailnetNode n : idx.snapshot.nodes()) {
          dsts.put(n.id(), ownPrefixes(n, null));
        }
      } else {
        IpPrefix p = idx.prefixOf(a);
        if (p != null) {
          for (Long id : idx.nodesWithAddressIn(p)) {
            dsts.computeIfAbsent(id, k -> new LinkedHashSet<>())
                .addAll(ownPrefixes(idx.node(id), p));
          }
          for (Long id : idx.routeNodes()) {
            for (IpPrefix route : idx.subnetRoutes(id)) {
              if (route.overlaps(p)) {
                dsts.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(p.toString());
              }
            }
          }
        } else {
          for (Long id : idx.nodesOf(a)) {
            dsts.put(id, ownPrefixes(idx.node(id), null));
          }
        }
      }
      dsts.forEach(
          (id, prefixes) -> {
            if (!prefixes.isEmpty()) {
              caps.computeIfAbsent(id, k -> new ArrayList<>())
                  .add(new CapGrant(List.copyOf(prefixes), rule.capMap()));
            }
          });
    }
    Map<Long, List<CapGrant>> frozen = new HashMap<>();
    Map<Long, List<NetPortRange>> dstNodes = new HashMap<>();
    caps.forEach(
        (k, v) -> {
          frozen.put(k, List.copyOf(v));
          dstNodes.put(k, List.of());
        });
    return new CompiledRule(
        index,
        rule,
        sources.strings(),
        sources.set(),
        sources.everything(),
        sources.nodes(),
        List.of(),
        Collections.unmodifiableMap(dstNodes),
        List.of(),
        List.of(),
        Collections.unmodifiableMap(frozen),
        self);
  }

  /**
   * The node's addresses as single-address prefixes ({@code /32}, {@code /128}), those inside
   * {@code within}.
   */
  static Set<String> ownPrefixes(TailnetNode n, IpPrefix within) {
    Set<String> out = new LinkedHashSet<>();
    for (IpAddress addr : n.addresses()) {
      if (within == null || within.contains(addr)) {
        out.add(IpPrefix.single(addr).toString());
      }
    }
    return out;
  }

  private static Sources resolveSources(AccessRule rule, TailnetIndex idx) {
    // ---- sources ----
    Set<String> strings = new TreeSet<>();
    List<IpRange> ranges = new ArrayList<>();
    Set<Long> srcNodes = new TreeSet<>();
    boolean dangerAll = false;
    boolean wildcard = false;
    for (Alias a : rule.sources()) {
      if (a instanceof Alias.Wildcard) {
        wildcard = true;
        strings.addAll(TailnetRanges.WILDCARD_SOURCE_STRINGS);
        strings.addAll(idx.wildcardRouteStrings());
        ranges.addAll(TailnetRanges.WILDCARD_SOURCE.ranges());
        for (String r : idx.wildcardRouteStrings()) {
          ranges.add(IpPrefix.parse(r).range());
        }
        continue;
      }
      if (a instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.DANGER_ALL) {
        dangerAll = true;
        continue;
      }
      IpPrefix p = idx.prefixOf(a);
      if (p != null) {
        strings.add(p.toFilterString());
        ranges.add(p.range());
        continue;
      }
      for (Long id : idx.nodesOf(a)) {
        for (IpAddress addr : idx.node(id).addresses()) {
          strings.add(addr.toString());
          ranges.add(IpPrefix.single(addr).range());
        }
        srcNodes.add(id);
      }
    }
    IpSet srcSet = dangerAll ? IpSet.ALL : IpSet.of(ranges);
    List<String> srcStrings = dangerAll ? List.of("*") : List.copyOf(strings);
    if (dangerAll || wildcard || rule.sources().stream().anyMatch(x -> idx.prefixOf(x) != null)) {
      // address-based sources: whoever sits inside the ranges, plus routers for them
      for (TailnetNode n : idx.snapshot.nodes()) {
        if (srcNodes.contains(n.id())) {
          continue;
        }
        if (dangerAll
            || n.addresses().stream().anyMatch(srcSet::contains)
            || idx.subnetRoutes(n.id()).stream().anyMatch(r -> srcSet.overlaps(r.range()))) {
          srcNodes.add(n.id());
        }
      }
    } else {
      for (Long id : idx.routeNodes()) {
        if (idx.subnetRoutes(id).stream().anyMatch(r -> srcSet.overlaps(r.range()))) {
          srcNodes.add(id);
        }
      }
    }

    return new Sources(srcStrings, srcSet, dangerAll, Collections.unmodifiableSet(srcNodes));
  }

  /**
   * A grant with {@code via}: only routers carrying a via tag that serve a destination route get
   * the rule, with the route itself as destination; {@code autogroup:internet} stands for such a
   * router's exit routes.
   */
  private static CompiledRule viaRule(
      int index, AccessRule rule, TailnetIndex idx, Sources sources) {
    Map<Long, List<NetPortRange>> byNode = new HashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Long id : idx.routeNodes()) {
      TailnetNode n = idx.node(id);
      if (rule.via().stream().noneMatch(n.tags()::contains)) {
        continue;
      }
      List<NetPortRange> list = new ArrayList<>();
      boolean served = false;
      for (Destination d : rule.destinations()) {
        IpPrefix p = idx.prefixOf(d.alias());
        boolean internet =
            d.alias() instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.INTERNET;
        for (IpPrefix route : idx.served(id)) {
          if (internet && route.isDefaultRoute()) {
            served = true;
            for (PortRange pr : d.ports()) {
              NetPortRange w = new NetPortRange(route.toString(), pr);
              list.add(w);
              entries.add(new Entry(w, route.range(), false, true));
            }
          } else if (!internet
              && p != null
              && !route.isDefaultRoute()
              && route.range().overlaps(p.range())) {
            // a router serving any part of the destination gets the destination as written,
            // broader or narrower than its route, as Tailscale sends it; once per destination
            served = true;
            for (PortRange pr : d.ports()) {
              NetPortRange w = new NetPortRange(p.toFilterString(), pr);
              list.add(w);
              entries.add(new Entry(w, p.range(), false, true));
            }
            break;
          }
        }
      }
      // an app grant through the router has no ports, yet the router serving it is a destination
      // for visibility
      if (!list.isEmpty() || (served && rule.isApp())) {
        byNode.put(id, List.copyOf(list));
      }
    }
    return new CompiledRule(
        index,
        rule,
        sources.strings(),
        sources.set(),
        sources.everything(),
        sources.nodes(),
        List.of(),
        Collections.unmodifiableMap(byNode),
        List.of(),
        List.copyOf(entries));
  }
}
