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

  NodeAttr parseNodeAttr(HuJson.Value value) {
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
    return new NodeAttr(targets, attrs, app);
  }
}
