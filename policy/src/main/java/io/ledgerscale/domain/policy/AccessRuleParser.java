// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static io.ledgerscale.domain.policy.PolicyShapes.alias;
import static io.ledgerscale.domain.policy.PolicyShapes.allowOnly;
import static io.ledgerscale.domain.policy.PolicyShapes.array;
import static io.ledgerscale.domain.policy.PolicyShapes.object;
import static io.ledgerscale.domain.policy.PolicyShapes.reasonOf;
import static io.ledgerscale.domain.policy.PolicyShapes.required;
import static io.ledgerscale.domain.policy.PolicyShapes.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code acls} and {@code grants} sections: each entry becomes one or more access rules. */
final class AccessRuleParser {
  private final PolicyNames names;

  AccessRuleParser(PolicyNames names) {
    this.names = names;
  }

  AccessRule parseAcl(HuJson.Value value, String origin) {
    HuJson.Obj acl = object(value, origin);
    allowOnly(acl, origin, "action", "src", "dst", "proto");
    HuJson.Value action = acl.get("action");
    if (action == null) {
      throw new PolicyException(origin + ": action is required", acl);
    }
    String a = string(action, "action");
    if (!a.equals("accept")) {
      throw new PolicyException("action=\"" + a + "\" is not supported", action);
    }
    List<Alias> sources = parseSources(required(acl, "src", origin));
    List<Destination> dsts = new ArrayList<>();
    for (HuJson.Value v : array(required(acl, "dst", origin), "dst")) {
      dsts.add(parseDestinationWithPorts(string(v, "dst"), v));
    }
    List<Integer> proto = List.of();
    HuJson.Value p = acl.get("proto");
    if (p != null) {
      proto = Protocols.parse(string(p, "proto"), p);
    }
    checkSelf(sources, dsts, acl);
    return new AccessRule(sources, dsts, proto, origin);
  }

  List<AccessRule> parseGrant(HuJson.Value value, String origin) {
    HuJson.Obj grant = object(value, origin);
    allowOnly(grant, origin, "src", "dst", "ip", "app", "via");
    List<Alias> sources = parseSources(required(grant, "src", origin));
    List<Alias> dstAliases = new ArrayList<>();
    for (HuJson.Value v : array(required(grant, "dst", origin), "dst")) {
      String s = string(v, "dst");
      Alias alias = alias(s, v);
      names.checkKnown(alias, "dst=\"" + s + "\": ", v);
      if (alias instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.DANGER_ALL) {
        throw new PolicyException("cannot use autogroup:danger-all as a dst", v);
      }
      if (alias instanceof Alias.Prefix p && p.prefix().isDefaultRoute()) {
        throw new PolicyException(
            "dst \"" + s + "\": to allow all IP addresses, use \"*\" or \"autogroup:internet\"", v);
      }
      dstAliases.add(alias);
    }
    HuJson.Value ip = grant.get("ip");
    HuJson.Value app = grant.get("app");
    Map<String, List<com.fasterxml.jackson.databind.JsonNode>> capMap =
        app == null || app instanceof HuJson.Null ? null : AppCapabilities.parseGrant(app, "app");
    boolean noIp =
        ip == null
            || ip instanceof HuJson.Null
            || (ip instanceof HuJson.Arr a && a.items().isEmpty());
    if (noIp && (capMap == null || capMap.isEmpty())) {
      throw new PolicyException("ip and app can not both be empty", grant);
    }
    if (capMap != null) {
      for (int i = 0; i < dstAliases.size(); i++) {
        if (dstAliases.get(i) instanceof Alias.AutoGroup ag
            && ag.kind() == AutoGroupKind.INTERNET) {
          throw new PolicyException("cannot use app grants with autogroup:internet", grant);
        }
      }
    }
    List<String> via = new ArrayList<>();
    if (grant.get("via") != null) {
      for (HuJson.Value v : array(grant.get("via"), "via")) {
        String s = string(v, "via");
        via.add(s);
        if (!s.startsWith("tag:")) {
          throw new PolicyException("via can only be a tag, not \"" + s + "\"", v);
        }
        if (!names.tagOwners.containsKey(s)) {
          throw new PolicyException("tag \"" + s + "\" not found (via)", v);
        }
      }
    }
    List<AccessRule> out = new ArrayList<>();
    if (ip == null) {
      out.addAll(appRules(sources, dstAliases, capMap, via, grant, origin));
      return out;
    }
    // one rule per protocol set, in order of first appearance, as Tailscale groups them
    Map<List<Integer>, List<PortRange>> byProto = new LinkedHashMap<>();
    for (HuJson.Value v : array(ip, "ip")) {
      String spec = string(v, "ip");
      List<Integer> proto;
      List<PortRange> ports;
      int colon = spec.indexOf(':');
      try {
        if (spec.equals("*")) {
          proto = List.of();
          ports = List.of(PortRange.ANY);
        } else if (colon >= 0) {
          proto = Protocols.parse(spec.substring(0, colon), v);
          ports = grantPorts(spec.substring(colon + 1), v);
        } else {
          // without a colon the entry is ports: Tailscale reads "icmp" as a port range
          proto = List.of();
          ports = grantPorts(spec, v);
        }
      } catch (IllegalArgumentException e) {
        throw new PolicyException("ip=\"" + spec + "\": " + reasonOf(e), v);
      }
      byProto.computeIfAbsent(proto, k -> new ArrayList<>()).addAll(ports);
    }
    List<Destination> noPorts = new ArrayList<>();
    for (Alias a : dstAliases) {
      noPorts.add(new Destination(a, List.of(), a.text()));
    }
    checkSelf(sources, noPorts, grant);
    checkGrantSelf(sources, noPorts, grant);
    for (Map.Entry<List<Integer>, List<PortRange>> e : byProto.entrySet()) {
      List<Destination> dsts = new ArrayList<>();
      for (Alias a : dstAliases) {
        dsts.add(new Destination(a, e.getValue(), a.text()));
      }
      out.add(new AccessRule(sources, dsts, e.getKey(), via, origin));
    }
    out.addAll(appRules(sources, dstAliases, capMap, via, grant, origin));
    return out;
  }

  /**
   * Capabilities a grant gives with their companion: drive sharers and relay targets learn who may
   * use them.
   */
  private static final Map<String, String> COMPANION_CAPS =
      Map.of(
          "tailscale.com/cap/drive", "tailscale.com/cap/drive-sharer",
          "tailscale.com/cap/relay", "tailscale.com/cap/relay-target");

  /**
   * The app part of a grant: one rule granting the capabilities to the destinations, then, for
   * capabilities with a companion, the same relation reversed (destinations as sources) carrying
   * the companion capability. Grants through {@code via} routers carry no capabilities (Tailscale
   * sends none) but make the routers peers of the sources; an empty src or dst grants nothing.
   */
  private static List<AccessRule> appRules(
      List<Alias> sources,
      List<Alias> dstAliases,
      Map<String, List<com.fasterxml.jackson.databind.JsonNode>> capMap,
      List<String> via,
      HuJson.Obj grant,
      String origin) {
    if (capMap == null || capMap.isEmpty() || sources.isEmpty() || dstAliases.isEmpty()) {
      return List.of();
    }
    List<Destination> dsts = new ArrayList<>();
    for (Alias a : dstAliases) {
      dsts.add(new Destination(a, List.of(), a.text()));
    }
    if (!via.isEmpty()) {
      // no capability reaches a via router, but its sources and the routers still see each other
      return List.of(new AccessRule(sources, dsts, List.of(), via, capMap, origin));
    }
    checkSelf(sources, dsts, grant);
    checkGrantSelf(sources, dsts, grant);
    List<AccessRule> out = new ArrayList<>();
    out.add(new AccessRule(sources, dsts, List.of(), List.of(), capMap, origin));
    List<String> companions =
        capMap.keySet().stream().filter(COMPANION_CAPS::containsKey).sorted().toList();
    for (String cap : companions) {
      Map<String, List<com.fasterxml.jackson.databind.JsonNode>> companion = new LinkedHashMap<>();
      companion.put(COMPANION_CAPS.get(cap), null);
      // autogroup:self stays a destination: the reversed relation is the same user's devices both
      // ways
      List<Alias> reversedSources = dstAliases.stream().filter(a -> !isSelf(a)).toList();
      List<Destination> reversedDsts = new ArrayList<>();
      if (!reversedSources.isEmpty()) {
        for (Alias a : sources) {
          reversedDsts.add(new Destination(a, List.of(), a.text()));
        }
        out.add(
            new AccessRule(reversedSources, reversedDsts, List.of(), List.of(), companion, origin));
      }
      if (dstAliases.stream().anyMatch(AccessRuleParser::isSelf)) {
        List<Destination> self =
            dstAliases.stream()
                .filter(AccessRuleParser::isSelf)
                .map(a -> new Destination(a, List.of(), a.text()))
                .toList();
        out.add(new AccessRule(sources, self, List.of(), List.of(), companion, origin));
      }
    }
    return out;
  }

  private static boolean isSelf(Alias a) {
    return a instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.SELF;
  }

  private List<Alias> parseSources(HuJson.Value value) {
    List<Alias> out = new ArrayList<>();
    for (HuJson.Value v : array(value, "src")) {
      String s = string(v, "src");
      Alias alias = alias(s, v);
      if (alias instanceof Alias.AutoGroup ag
          && (ag.kind() == AutoGroupKind.SELF
              || ag.kind() == AutoGroupKind.INTERNET
              || ag.kind() == AutoGroupKind.NONROOT)) {
        throw new PolicyException("\"" + s + "\" not valid on the src side of a rule", v);
      }
      names.checkKnown(alias, "src=", v);
      out.add(alias);
    }
    return out;
  }

  /**
   * Splits {@code alias:ports} at the last colon; IPv6 literals may be bracketed, {@code
   * [fd7a::1]:22}.
   */
  private Destination parseDestinationWithPorts(String text, HuJson.Value at) {
    String host;
    String ports;
    if (text.startsWith("[")) {
      int close = text.indexOf("]:");
      if (close < 0) {
        throw new PolicyException("dst=\"" + text + "\": missing port", at);
      }
      host = text.substring(1, close);
      ports = text.substring(close + 2);
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        throw new PolicyException("dst=\"" + text + "\": missing port", at);
      }
      host = text.substring(0, colon);
      ports = text.substring(colon + 1);
    }
    List<PortRange> pr;
    try {
      pr = PortRange.parseList(ports);
    } catch (IllegalArgumentException e) {
      throw new PolicyException("dst=\"" + text + "\": " + reasonOf(e), at);
    }
    Alias alias;
    try {
      alias = Alias.parse(host);
    } catch (IllegalArgumentException e) {
      throw new PolicyException("dst=\"" + host + "\": " + reasonOf(e), at);
    }
    if (alias instanceof Alias.AutoGroup ag
        && (ag.kind() == AutoGroupKind.DANGER_ALL || ag.kind() == AutoGroupKind.NONROOT)) {
      throw new PolicyException("\"" + host + "\" not valid on the dst side of a rule", at);
    }
    names.checkKnown(alias, "dst=\"" + host + "\": ", at);
    return new Destination(alias, pr, text);
  }

  /** autogroup:self as a destination only makes sense for sources that are people. */
  private static void checkSelf(List<Alias> sources, List<Destination> dsts, HuJson.Value at) {
    boolean self =
        dsts.stream()
            .anyMatch(
                d -> d.alias() instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.SELF);
    if (!self) {
      return;
    }
    for (Alias s : sources) {
      boolean ok =
          s instanceof Alias.Wildcard
              || s instanceof Alias.User
              || s instanceof Alias.Group
              || (s instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.MEMBER);
      if (!ok) {
        throw new PolicyException(
            "autogroup:self can only be used with users, groups, or supported autogroups", at);
      }
    }
  }

  /** Grants are stricter than acls: "*" includes tagged devices, which have no self. */
  private static void checkGrantSelf(List<Alias> sources, List<Destination> dsts, HuJson.Value at) {
    boolean self =
        dsts.stream()
            .anyMatch(
                d -> d.alias() instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.SELF);
    if (self && sources.stream().anyMatch(s -> s instanceof Alias.Wildcard)) {
      throw new PolicyException(
          "autogroup:self can only be used with users, groups, or supported autogroups", at);
    }
  }

  /** A grant's {@code ip} ports, refused in Tailscale's words where they are not ports. */
  private static List<PortRange> grantPorts(String spec, HuJson.Value at) {
    if (spec.equals("*")) {
      return List.of(PortRange.ANY);
    }
    for (String part : spec.split(",", -1)) {
      String first = part.contains("-") ? part.substring(0, part.indexOf('-')) : part;
      if (first.isEmpty() || !first.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new PolicyException("port range \"" + part + "\": invalid first integer", at);
      }
      if (first.chars().allMatch(c -> c == '0')) {
        throw new PolicyException(
            "port range \"" + part + "\": first port must be >0, or use '*' for wildcard", at);
      }
    }
    return PortRange.parseList(spec);
  }
}
