// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the HuJSON tree into a {@link Policy}, refusing anything Tailscale (or Headscale) would
 * refuse.
 */
final class PolicyParser {
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "groups",
          "hosts",
          "tagOwners",
          "acls",
          "grants",
          "autoApprovers",
          "ssh",
          "tests",
          "sshTests",
          "nodeAttrs",
          "randomizeClientPort");

  private final Map<String, List<String>> groups = new LinkedHashMap<>();
  private final Map<String, IpPrefix> hosts = new LinkedHashMap<>();
  private final Map<String, List<String>> tagOwners = new LinkedHashMap<>();

  Policy parse(String text) {
    HuJson.Value rootValue = HuJson.parse(text);
    if (!(rootValue instanceof HuJson.Obj root)) {
      throw PolicyException.structure("policy must be a JSON object", rootValue);
    }
    for (HuJson.Member m : root.members().values()) {
      if (!TOP_LEVEL.contains(m.key())) {
        throw new PolicyException("unknown field \"" + m.key() + "\"", m.line(), m.column());
      }
    }
    // names first: rules refer to them
    parseGroups(root.members().get("groups"));
    parseHosts(root.members().get("hosts"));
    parseTagOwners(root.members().get("tagOwners"));

    List<AccessRule> rules = new ArrayList<>();
    HuJson.Value acls = root.get("acls");
    HuJson.Value grants = root.get("grants");
    if (grants != null) {
      List<HuJson.Value> items = array(grants, "grants");
      for (int i = 0; i < items.size(); i++) {
        rules.addAll(parseGrant(items.get(i), "grants[" + i + "]"));
      }
    }
    if (acls != null) {
      List<HuJson.Value> items = array(acls, "acls");
      for (int i = 0; i < items.size(); i++) {
        rules.add(parseAcl(items.get(i), "acls[" + i + "]"));
      }
    }
    boolean hasAccessRules =
        (acls != null && !(acls instanceof HuJson.Null))
            || (grants != null && !(grants instanceof HuJson.Null));
    AutoApprovers autoApprovers = parseAutoApprovers(root.get("autoApprovers"));
    List<SshRule> ssh = new ArrayList<>();
    if (root.get("ssh") != null) {
      for (HuJson.Value v : array(root.get("ssh"), "ssh")) {
        ssh.add(parseSsh(v));
      }
    }
    List<PolicyTest> tests = new ArrayList<>();
    if (root.get("tests") != null) {
      for (HuJson.Value v : array(root.get("tests"), "tests")) {
        tests.add(parseTest(v));
      }
    }
    List<SshTest> sshTests = new ArrayList<>();
    if (root.get("sshTests") != null) {
      for (HuJson.Value v : array(root.get("sshTests"), "sshTests")) {
        sshTests.add(parseSshTest(v));
      }
    }
    List<NodeAttr> nodeAttrs = new ArrayList<>();
    if (root.get("nodeAttrs") != null) {
      for (HuJson.Value v : array(root.get("nodeAttrs"), "nodeAttrs")) {
        nodeAttrs.add(parseNodeAttr(v));
      }
    }
    HuJson.Value rcp = root.get("randomizeClientPort");
    if (rcp != null && !(rcp instanceof HuJson.Bool)) {
      throw PolicyException.structure("randomizeClientPort must be a boolean", rcp);
    }
    return new Policy(
        unmodifiable(groups),
        Collections.unmodifiableMap(new LinkedHashMap<>(hosts)),
        unmodifiable(tagOwners),
        List.copyOf(rules),
        hasAccessRules,
        autoApprovers,
        List.copyOf(ssh),
        List.copyOf(tests),
        List.copyOf(sshTests),
        List.copyOf(nodeAttrs),
        rcp instanceof HuJson.Bool b && b.value());
  }

  private static Map<String, List<String>> unmodifiable(Map<String, List<String>> m) {
    Map<String, List<String>> c = new LinkedHashMap<>();
    m.forEach((k, v) -> c.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(c);
  }

  // ---- names ----

  private void parseGroups(HuJson.Member member) {
    if (member == null) {
      return;
    }
    HuJson.Obj obj = object(member.value(), "groups");
    Map<String, HuJson.Member> raw = obj.members();
    // Tailscale refuses every group inside a group, naming the last one in the policy (as
    // Headscale's
    // policy v2 does too); groups are flat lists of users
    String nestingGroup = null;
    String nestedGroup = null;
    HuJson.Value nested = null;
    for (HuJson.Member g : raw.values()) {
      if (!g.key().startsWith("group:") || g.key().length() == "group:".length()) {
        throw new PolicyException(
            "group name \"" + g.key() + "\" must start with \"group:\"", g.line(), g.column());
      }
      List<String> members = new ArrayList<>();
      for (HuJson.Value v : array(g.value(), g.key())) {
        String s = string(v, g.key());
        if (s.startsWith("group:")) {
          if (!raw.containsKey(s)) {
            throw new PolicyException(
                "group \"" + g.key() + "\": group not found: \"" + s + "\"", v);
          }
          nestingGroup = g.key();
          nestedGroup = s;
          nested = v;
        } else if (s.startsWith("tag:") || s.startsWith("autogroup:")) {
          throw new PolicyException(
              "group \"" + g.key() + "\": \"" + s + "\" cannot be a group member, only users", v);
        } else if (!s.contains("@")) {
          throw new PolicyException(
              "group \"" + g.key() + "\": user \"" + s + "\" must contain \"@\"", v);
        }
        members.add(s);
      }
      groups.put(g.key(), members);
    }
    if (nested != null) {
      throw new PolicyException(
          "groups[\""
              + nestingGroup
              + "\"]: \""
              + nestedGroup
              + "\": group members cannot be recursive (a group holds users, not groups)",
          nested);
    }
  }

  private void parseHosts(HuJson.Member member) {
    if (member == null) {
      return;
    }
    for (HuJson.Member h : object(member.value(), "hosts").members().values()) {
      String name = h.key();
      if (name.isEmpty()
          || name.contains(":")
          || name.contains("@")
          || name.equals("*")
          || Character.isDigit(name.charAt(0))) {
        throw new PolicyException("host name \"" + name + "\" is not valid", h.line(), h.column());
      }
      String value = string(h.value(), "hosts." + name);
      try {
        hosts.put(name, IpPrefix.parse(value));
      } catch (IllegalArgumentException e) {
        throw new PolicyException(
            "host \"" + name + "\": invalid IP address or CIDR \"" + value + "\"", h.value());
      }
    }
  }

  private void parseTagOwners(HuJson.Member member) {
    if (member == null) {
      return;
    }
    Map<String, HuJson.Member> raw = object(member.value(), "tagOwners").members();
    for (HuJson.Member t : raw.values()) {
      if (!t.key().startsWith("tag:") || t.key().length() == "tag:".length()) {
        throw new PolicyException(
            "tag name \"" + t.key() + "\" must start with \"tag:\"", t.line(), t.column());
      }
      char first = t.key().charAt("tag:".length());
      if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
        throw new PolicyException(
            "tagOwners[\"" + t.key() + "\"]: tag names must start with a letter, after 'tag:'",
            t.line(),
            t.column());
      }
      List<String> owners = new ArrayList<>();
      for (HuJson.Value v : array(t.value(), t.key())) {
        String s = string(v, t.key());
        if (s.startsWith("tag:")) {
          if (!raw.containsKey(s)) {
            throw new PolicyException(
                "tagOwners[\"" + t.key() + "\"]: tag not found: \"" + s + "\"", v);
          }
        } else if (s.startsWith("group:")) {
          if (!groups.containsKey(s)) {
            throw new PolicyException(
                "tagOwners[\"" + t.key() + "\"]: group not found: \"" + s + "\"", v);
          }
        } else if (s.startsWith("autogroup:")) {
          if (!s.equals("autogroup:member") && !s.equals("autogroup:tagged")) {
            throw new PolicyException(
                "tagOwners[\"" + t.key() + "\"]: \"" + s + "\" is not supported", v);
          }
        } else if (!s.contains("@")) {
          throw new PolicyException(
              "tagOwners[\"" + t.key() + "\"]: user \"" + s + "\" must contain \"@\"", v);
        }
        owners.add(s);
      }
      tagOwners.put(t.key(), owners);
    }
  }

  // ---- rules ----

  private AccessRule parseAcl(HuJson.Value value, String origin) {
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

  private List<AccessRule> parseGrant(HuJson.Value value, String origin) {
    HuJson.Obj grant = object(value, origin);
    allowOnly(grant, origin, "src", "dst", "ip", "app", "via");
    List<Alias> sources = parseSources(required(grant, "src", origin));
    List<Alias> dstAliases = new ArrayList<>();
    for (HuJson.Value v : array(required(grant, "dst", origin), "dst")) {
      String s = string(v, "dst");
      Alias alias = alias(s, v);
      checkKnown(alias, "dst=\"" + s + "\": ", v);
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
        if (!tagOwners.containsKey(s)) {
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
      if (dstAliases.stream().anyMatch(PolicyParser::isSelf)) {
        List<Destination> self =
            dstAliases.stream()
                .filter(PolicyParser::isSelf)
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
      checkKnown(alias, "src=", v);
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
    checkKnown(alias, "dst=\"" + host + "\": ", at);
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

  private void checkKnown(Alias alias, String prefix, HuJson.Value at) {
    if (alias instanceof Alias.Tag t && !tagOwners.containsKey(t.text())) {
      throw new PolicyException(prefix + "tag not found: \"" + t.text() + "\"", at);
    }
    if (alias instanceof Alias.Group g && !groups.containsKey(g.text())) {
      throw new PolicyException(prefix + "group not found: \"" + g.text() + "\"", at);
    }
    if (alias instanceof Alias.Host h && !hosts.containsKey(h.text())) {
      throw new PolicyException(prefix + "host not found: \"" + h.text() + "\"", at);
    }
  }

  private static Alias alias(String s, HuJson.Value at) {
    try {
      return Alias.parse(s);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(reasonOf(e), at);
    }
  }

  // ---- autoApprovers, ssh, tests, nodeAttrs ----

  private AutoApprovers parseAutoApprovers(HuJson.Value value) {
    if (value == null) {
      return AutoApprovers.NONE;
    }
    HuJson.Obj obj = object(value, "autoApprovers");
    allowOnly(obj, "autoApprovers", "routes", "exitNode");
    Map<IpPrefix, List<Alias>> routes = new LinkedHashMap<>();
    HuJson.Value r = obj.get("routes");
    if (r != null) {
      for (HuJson.Member m : object(r, "autoApprovers.routes").members().values()) {
        IpPrefix prefix;
        try {
          prefix = IpPrefix.parse(m.key());
        } catch (IllegalArgumentException e) {
          throw new PolicyException(
              "autoApprovers.routes: invalid route \"" + m.key() + "\"", m.line(), m.column());
        }
        if (!prefix.toString().equals(m.key()) && !m.key().contains("/")) {
          throw new PolicyException(
              "autoApprovers.routes: route \"" + m.key() + "\" must be a CIDR",
              m.line(),
              m.column());
        }
        routes.put(prefix, approvers(m.value(), "autoApprovers.routes[\"" + m.key() + "\"]"));
      }
    }
    List<Alias> exit = List.of();
    if (obj.get("exitNode") != null) {
      exit = approvers(obj.get("exitNode"), "autoApprovers.exitNode");
    }
    return new AutoApprovers(routes, exit);
  }

  private List<Alias> approvers(HuJson.Value value, String where) {
    List<Alias> out = new ArrayList<>();
    for (HuJson.Value v : array(value, where)) {
      String s = string(v, where);
      Alias a = alias(s, v);
      boolean ok =
          a instanceof Alias.User
              || a instanceof Alias.Group
              || a instanceof Alias.Tag
              || (a instanceof Alias.AutoGroup ag
                  && (ag.kind() == AutoGroupKind.MEMBER || ag.kind() == AutoGroupKind.TAGGED));
      if (!ok) {
        throw new PolicyException(where + ": \"" + s + "\" cannot approve routes", v);
      }
      checkKnown(a, where + ": ", v);
      out.add(a);
    }
    return out;
  }

  /** An array that may be missing or null (then empty). */
  private static List<HuJson.Value> optionalArray(HuJson.Value v, String what) {
    return v == null || v instanceof HuJson.Null ? List.of() : array(v, what);
  }

  private SshRule parseSsh(HuJson.Value value) {
    HuJson.Obj obj = object(value, "ssh");
    allowOnly(obj, "ssh", "action", "src", "dst", "users", "checkPeriod", "acceptEnv");
    // Tailscale trims the strings of an ssh rule (" accept", "tag:server ", "\troot" all work)
    HuJson.Value actionValue = obj.get("action");
    String action =
        actionValue == null || actionValue instanceof HuJson.Null
            ? ""
            : string(actionValue, "action").strip();
    if (action.isEmpty()) {
      throw new PolicyException(
          "action must be specified", actionValue == null ? obj : actionValue);
    }
    if (!action.equals("accept") && !action.equals("check")) {
      throw new PolicyException("\"" + action + "\" is not a valid action", actionValue);
    }
    List<Alias> src = new ArrayList<>();
    for (HuJson.Value v : optionalArray(obj.get("src"), "src")) {
      String s = string(v, "src").strip();
      Alias a = alias(s, v);
      if (a instanceof Alias.AutoGroup ag
          && ag.kind() != AutoGroupKind.MEMBER
          && ag.kind() != AutoGroupKind.TAGGED) {
        throw new PolicyException("ssh: \"" + s + "\" not valid on the src side of a rule", v);
      }
      if (a instanceof Alias.Wildcard) {
        throw new PolicyException("ssh: \"*\" is not valid as an ssh source", v);
      }
      checkKnown(a, "src=", v);
      src.add(a);
    }
    List<Alias> dst = new ArrayList<>();
    for (HuJson.Value v : optionalArray(obj.get("dst"), "dst")) {
      String s = string(v, "dst").strip();
      Alias a = alias(s, v);
      if (a instanceof Alias.Wildcard) {
        throw new PolicyException("ssh: \"*\" is not valid as an ssh destination", v);
      }
      if (a instanceof Alias.AutoGroup ag
          && ag.kind() != AutoGroupKind.SELF
          && ag.kind() != AutoGroupKind.MEMBER
          && ag.kind() != AutoGroupKind.TAGGED) {
        throw new PolicyException("ssh: \"" + s + "\" not valid on the dst side of a rule", v);
      }
      if (a instanceof Alias.Host || a instanceof Alias.Prefix) {
        // SSH reaches nodes, not addresses: Tailscale refuses hosts and IPs here
        throw new PolicyException("invalid dst \"" + s + "\"", v);
      }
      checkKnown(a, "dst=", v);
      dst.add(a);
    }
    boolean taggedSource =
        src.stream()
            .anyMatch(
                a ->
                    a instanceof Alias.Tag
                        || (a instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.TAGGED));
    boolean userDst =
        dst.stream()
            .anyMatch(
                a ->
                    a instanceof Alias.User
                        || a instanceof Alias.Group
                        || (a instanceof Alias.AutoGroup ag
                            && (ag.kind() == AutoGroupKind.SELF
                                || ag.kind() == AutoGroupKind.MEMBER)));
    if (taggedSource && userDst) {
      throw new PolicyException("ssh: tags cannot be sources for user-owned destinations", obj);
    }
    List<String> users = new ArrayList<>();
    HuJson.Value usersValue = obj.get("users");
    List<HuJson.Value> userValues = optionalArray(usersValue, "users");
    if (userValues.isEmpty()) {
      throw new PolicyException("users must be specified", usersValue == null ? obj : usersValue);
    }
    for (HuJson.Value v : userValues) {
      String u = string(v, "users").strip();
      if (u.equals("*") || u.isEmpty()) {
        throw new PolicyException("user \"" + u + "\" is not valid", v);
      }
      users.add(u);
    }
    HuJson.Value cp = obj.get("checkPeriod");
    String checkPeriod = cp == null || cp instanceof HuJson.Null ? null : string(cp, "checkPeriod");
    if (checkPeriod != null && !action.equals("check")) {
      throw new PolicyException("ssh: checkPeriod is only valid with action \"check\"", cp);
    }
    if (checkPeriod != null && !checkPeriod.equals("always")) {
      checkCheckPeriod(checkPeriod, cp);
    }
    List<String> env = new ArrayList<>();
    if (obj.get("acceptEnv") != null) {
      for (HuJson.Value v : array(obj.get("acceptEnv"), "acceptEnv")) {
        String e = string(v, "acceptEnv");
        if (e.isEmpty()) {
          throw new PolicyException("acceptEnv values cannot be empty", v);
        }
        env.add(e);
      }
    }
    return new SshRule(action, src, dst, users, checkPeriod, env);
  }

  /** The longest check period Tailscale accepts: a week. */
  private static final java.time.Duration MAX_CHECK_PERIOD = java.time.Duration.ofHours(168);

  private static void checkCheckPeriod(String text, HuJson.Value at) {
    java.time.Duration d;
    try {
      d = GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(e.getMessage(), at);
    }
    if (d.isNegative()) {
      throw new PolicyException(
          "checkPeriod " + GoDuration.format(d) + " must be a positive duration", at);
    }
    if (d.compareTo(MAX_CHECK_PERIOD) > 0) {
      throw new PolicyException(
          "checkPeriod " + GoDuration.format(d) + " is above the max (168h)", at);
    }
  }

  private static PolicyTest parseTest(HuJson.Value value) {
    HuJson.Obj obj = object(value, "tests");
    allowOnly(obj, "tests", "src", "proto", "accept", "deny");
    boolean ok = true;
    String src = null;
    if (obj.get("src") instanceof HuJson.Str s) {
      src = s.value();
    } else if (obj.get("src") != null) {
      throw PolicyException.structure("tests: src must be a string", obj.get("src"));
    }
    String proto = obj.get("proto") == null ? null : string(obj.get("proto"), "proto");
    List<String> accept = testList(obj.get("accept"));
    List<String> deny = testList(obj.get("deny"));
    if (src == null || src.isBlank() || (accept.isEmpty() && deny.isEmpty())) {
      ok = false;
    }
    return new PolicyTest(src, proto, accept, deny, ok, obj.line(), obj.column());
  }

  private static List<String> testList(HuJson.Value v) {
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (HuJson.Value item : array(v, "tests")) {
      out.add(string(item, "tests"));
    }
    return out;
  }

  /** Addresses Tailscale keeps for itself: its service address (quad 100) and ChromeOS VMs. */
  private static final List<IpPrefix> RESERVED_FOR_TAILSCALE =
      List.of(IpPrefix.parse("100.100.100.100/32"), IpPrefix.parse("100.115.92.0/23"));

  /**
   * A pool over Tailscale's reserved addresses is refused with Tailscale's words; Ledgerscale
   * refuses every pool (it allocates no addresses per attribute), but this reason comes first.
   */
  private void refuseReservedPool(HuJson.Value pools) {
    if (!(pools instanceof HuJson.Arr)) {
      return;
    }
    for (HuJson.Value v : array(pools, "ipPool")) {
      if (!(v instanceof HuJson.Str str)) {
        continue;
      }
      IpPrefix p;
      try {
        p = IpPrefix.parse(str.value());
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (RESERVED_FOR_TAILSCALE.stream().anyMatch(p::overlaps)) {
        throw new PolicyException("IPPool(" + p + "): network within reserved range", v);
      }
    }
  }

  private NodeAttr parseNodeAttr(HuJson.Value value) {
    HuJson.Obj obj = object(value, "nodeAttrs");
    allowOnly(obj, "nodeAttrs", "target", "attr", "app", "ipPool");
    if (obj.get("ipPool") != null) {
      refuseReservedPool(obj.get("ipPool"));
      throw new PolicyException("nodeAttrs: ipPool is not supported", obj.get("ipPool"));
    }
    List<Alias> targets = new ArrayList<>();
    for (HuJson.Value v : array(required(obj, "target", "nodeAttrs"), "target")) {
      String s = string(v, "target");
      Alias a = alias(s, v);
      if (a instanceof Alias.AutoGroup ag
          && ag.kind() != AutoGroupKind.MEMBER
          && ag.kind() != AutoGroupKind.TAGGED
          && !ag.kind().isRole()) {
        throw new PolicyException("nodeAttrs: \"" + s + "\" is not a valid target", v);
      }
      if (a instanceof Alias.Host h && !hosts.containsKey(h.text())) {
        throw new PolicyException("\"" + s + "\": invalid address", v);
      }
      checkKnown(a, "target=", v);
      targets.add(a);
    }
    List<String> attrs = new ArrayList<>();
    if (obj.get("attr") != null) {
      for (HuJson.Value v : array(obj.get("attr"), "attr")) {
        String attr = string(v, "attr");
        if (attr.isBlank()) {
          throw new PolicyException("nodeAttrs: attr must not be empty", v);
        }
        attrs.add(attr);
      }
    }
    Map<String, List<com.fasterxml.jackson.databind.JsonNode>> app = Map.of();
    if (obj.get("app") != null && !(obj.get("app") instanceof HuJson.Null)) {
      app = AppCapabilities.parseNodeAttr(obj.get("app"), "nodeAttrs.app");
    }
    return new NodeAttr(targets, attrs, app);
  }

  private SshTest parseSshTest(HuJson.Value value) {
    HuJson.Obj obj = object(value, "sshTests");
    allowOnly(obj, "sshTests", "src", "dst", "accept", "check", "deny");
    HuJson.Value srcValue = required(obj, "src", "sshTests");
    String src = string(srcValue, "sshTests: src");
    if (src.isBlank()) {
      throw new PolicyException("sshTests: src must not be empty", srcValue);
    }
    List<HuJson.Value> dstValues = array(required(obj, "dst", "sshTests"), "sshTests: dst");
    if (dstValues.isEmpty()) {
      throw new PolicyException("sshTests: dst needs at least one host", obj.get("dst"));
    }
    List<String> dst = new ArrayList<>();
    for (HuJson.Value v : dstValues) {
      String d = string(v, "sshTests: dst");
      Alias a;
      try {
        a = Alias.parse(d);
      } catch (IllegalArgumentException e) {
        throw new PolicyException("SSH tests dst contains disallowed element \"" + d + "\"", v);
      }
      // a dst names hosts one can SSH into: not a range, not the internet; "tag:x:22" reads as an
      // unknown tag
      if (a instanceof Alias.AutoGroup ag
          && ag.kind() != AutoGroupKind.MEMBER
          && ag.kind() != AutoGroupKind.TAGGED
          && ag.kind() != AutoGroupKind.SELF) {
        throw new PolicyException("SSH tests dst contains disallowed element \"" + d + "\"", v);
      }
      if (a instanceof Alias.Wildcard
          || a instanceof Alias.Prefix p && !p.prefix().isSingleAddress()
          || a instanceof Alias.Host h
              && hosts.containsKey(h.text())
              && !hosts.get(h.text()).isSingleAddress()) {
        throw new PolicyException("SSH tests dst contains disallowed element \"" + d + "\"", v);
      }
      if (a instanceof Alias.Tag t && !tagOwners.containsKey(t.text())) {
        throw new PolicyException("SSH tests dst contains unknown tag \"" + d + "\"", v);
      }
      dst.add(d);
    }
    return new SshTest(
        src,
        dst,
        sshTestUsers(obj.get("accept")),
        sshTestUsers(obj.get("check")),
        sshTestUsers(obj.get("deny")),
        obj.line(),
        obj.column());
  }

  private static List<String> sshTestUsers(HuJson.Value v) {
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (HuJson.Value item : array(v, "sshTests")) {
      out.add(string(item, "sshTests"));
    }
    return out;
  }

  // ---- shape helpers ----

  private static void allowOnly(HuJson.Obj obj, String where, String... keys) {
    Set<String> allowed = new HashSet<>(List.of(keys));
    for (HuJson.Member m : obj.members().values()) {
      if (!allowed.contains(m.key())) {
        throw new PolicyException(
            where + ": unknown field \"" + m.key() + "\"", m.line(), m.column());
      }
    }
  }

  private static HuJson.Value required(HuJson.Obj obj, String key, String where) {
    HuJson.Value v = obj.get(key);
    if (v == null) {
      throw new PolicyException(where + ": \"" + key + "\" is required", obj);
    }
    return v;
  }

  private static HuJson.Obj object(HuJson.Value v, String where) {
    if (v instanceof HuJson.Obj o) {
      return o;
    }
    throw PolicyException.structure(where + " must be an object, not " + v.kind(), v);
  }

  private static List<HuJson.Value> array(HuJson.Value v, String where) {
    if (v instanceof HuJson.Arr a) {
      return a.items();
    }
    if (v instanceof HuJson.Null) {
      return List.of();
    }
    throw PolicyException.structure(where + " must be an array, not " + v.kind(), v);
  }

  private static String string(HuJson.Value v, String where) {
    if (v instanceof HuJson.Str s) {
      return s.value();
    }
    throw PolicyException.structure(where + " must be a string, not " + v.kind(), v);
  }

  private static String reasonOf(IllegalArgumentException e) {
    return e instanceof PolicyException pe ? pe.reason() : e.getMessage();
  }
}
