// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static io.ledgerscale.domain.policy.PolicyShapes.alias;
import static io.ledgerscale.domain.policy.PolicyShapes.allowOnly;
import static io.ledgerscale.domain.policy.PolicyShapes.array;
import static io.ledgerscale.domain.policy.PolicyShapes.object;
import static io.ledgerscale.domain.policy.PolicyShapes.required;
import static io.ledgerscale.domain.policy.PolicyShapes.string;

import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the policy says about nodes besides access: {@code autoApprovers} and {@code nodeAttrs}. */
final class NodeSectionParser {
  private final PolicyNames names;

  NodeSectionParser(PolicyNames names) {
    this.names = names;
  }

  AutoApprovers parseAutoApprovers(HuJson.Value value) {
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
      names.checkKnown(a, where + ": ", v);
      out.add(a);
    }
    return out;
  }

  /** Addresses Tailscale keeps for itself: its service address (quad 100) and ChromeOS VMs. */
  private static final List<IpPrefix> RESERVED_FOR_TAILSCALE =
      List.of(IpPrefix.parse("100.100.100.100/32"), IpPrefix.parse("100.115.92.0/23"));

  /** Tailscale's IPv4 range (CGNAT): clients only use node addresses from it. */
  private static final IpPrefix TAILSCALE_IPV4 = IpPrefix.parse("100.64.0.0/10");

  /** Prefixes in one entry's {@code ipPool} (docs/limits.md). */
  static final int IP_POOL_MAX = 64;

  /**
   * The entry's {@code ipPool}: IPv4 networks inside 100.64.0.0/10 with addresses for nodes, none
   * over Tailscale's reserved addresses (refused with Tailscale's words).
   */
  private static List<IpPrefix> parseIpPool(HuJson.Value pools) {
    List<HuJson.Value> items = array(pools, "ipPool");
    if (items.size() > IP_POOL_MAX) {
      throw new PolicyException(
          "nodeAttrs: ipPool lists " + items.size() + " prefixes; at most " + IP_POOL_MAX, pools);
    }
    List<IpPrefix> out = new ArrayList<>();
    for (HuJson.Value v : items) {
      String s = string(v, "ipPool");
      IpPrefix p;
      try {
        p = IpPrefix.parse(s);
      } catch (IllegalArgumentException e) {
        throw new PolicyException("ipPool: \"" + s + "\" is not an IPv4 prefix", v);
      }
      if (p.address().v6() || !s.contains("/")) {
        throw new PolicyException(
            "ipPool: \"" + s + "\" is not an IPv4 prefix such as 100.80.0.0/16", v);
      }
      if (RESERVED_FOR_TAILSCALE.stream().anyMatch(p::overlaps)) {
        throw new PolicyException("IPPool(" + p + "): network within reserved range", v);
      }
      if (!TAILSCALE_IPV4.contains(p)) {
        throw new PolicyException("ipPool: " + p + " is not inside Tailscale's 100.64.0.0/10", v);
      }
      if (!p.toString().equals(s)) {
        throw new PolicyException(
            "ipPool: \"" + s + "\" has host bits set; write the network, " + p, v);
      }
      if (p.bits() > 30) {
        throw new PolicyException(
            "ipPool: " + p + " leaves no addresses for nodes; use /30 or shorter", v);
      }
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  NodeAttr parseNodeAttr(HuJson.Value value) {
    HuJson.Obj obj = object(value, "nodeAttrs");
    allowOnly(obj, "nodeAttrs", "target", "attr", "app", "ipPool");
    List<IpPrefix> ipPool =
        obj.get("ipPool") == null || obj.get("ipPool") instanceof HuJson.Null
            ? List.of()
            : parseIpPool(obj.get("ipPool"));
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
      if (a instanceof Alias.Host h && !names.hosts.containsKey(h.text())) {
        throw new PolicyException("\"" + s + "\": invalid address", v);
      }
      names.checkKnown(a, "target=", v);
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
    return new NodeAttr(targets, attrs, app, ipPool);
  }
}
