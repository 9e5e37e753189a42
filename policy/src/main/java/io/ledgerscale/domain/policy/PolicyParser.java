// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static io.ledgerscale.domain.policy.PolicyShapes.allowOnly;
import static io.ledgerscale.domain.policy.PolicyShapes.array;
import static io.ledgerscale.domain.policy.PolicyShapes.object;
import static io.ledgerscale.domain.policy.PolicyShapes.string;

import java.util.ArrayList;
import java.util.Collections;
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

  private final PolicyNames names = new PolicyNames();
  private final AccessRuleParser rules = new AccessRuleParser(names);
  private final SshSectionParser sshSection = new SshSectionParser(names);
  private final NodeSectionParser nodeSections = new NodeSectionParser(names);

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
    names.parseGroups(root.members().get("groups"));
    names.parseHosts(root.members().get("hosts"));
    names.parseTagOwners(root.members().get("tagOwners"));

    List<AccessRule> rules = new ArrayList<>();
    HuJson.Value acls = root.get("acls");
    HuJson.Value grants = root.get("grants");
    if (grants != null) {
      List<HuJson.Value> items = array(grants, "grants");
      for (int i = 0; i < items.size(); i++) {
        rules.addAll(this.rules.parseGrant(items.get(i), "grants[" + i + "]"));
      }
    }
    if (acls != null) {
      List<HuJson.Value> items = array(acls, "acls");
      for (int i = 0; i < items.size(); i++) {
        rules.add(this.rules.parseAcl(items.get(i), "acls[" + i + "]"));
      }
    }
    boolean hasAccessRules =
        (acls != null && !(acls instanceof HuJson.Null))
            || (grants != null && !(grants instanceof HuJson.Null));
    AutoApprovers autoApprovers = nodeSections.parseAutoApprovers(root.get("autoApprovers"));
    List<SshRule> ssh = new ArrayList<>();
    if (root.get("ssh") != null) {
      for (HuJson.Value v : array(root.get("ssh"), "ssh")) {
        ssh.add(sshSection.parseSsh(v));
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
        sshTests.add(sshSection.parseSshTest(v));
      }
    }
    List<NodeAttr> nodeAttrs = new ArrayList<>();
    if (root.get("nodeAttrs") != null) {
      for (HuJson.Value v : array(root.get("nodeAttrs"), "nodeAttrs")) {
        nodeAttrs.add(nodeSections.parseNodeAttr(v));
      }
    }
    HuJson.Value rcp = root.get("randomizeClientPort");
    if (rcp != null && !(rcp instanceof HuJson.Bool)) {
      throw PolicyException.structure("randomizeClientPort must be a boolean", rcp);
    }
    return new Policy(
        unmodifiable(names.groups),
        Collections.unmodifiableMap(new LinkedHashMap<>(names.hosts)),
        unmodifiable(names.tagOwners),
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

  // ---- tests ----

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
}
