// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.AutoGroupKind;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.PolicyTest;
import io.ledgerscale.domain.policy.Protocols;
import io.ledgerscale.domain.policy.net.AsciiDigits;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the policy's {@code tests}. As the captures show Tailscale doing: a test names one source
 * (user, group, tag, host, IP or autogroup:member/tagged) and destinations of the form {@code
 * host:port} with one port and a destination that is a tag, user, group or single address; anything
 * else fails the test. An accept entry needs every source address to reach every destination
 * address; a deny entry needs none to.
 */
final class PolicyTester {
  private final Policy policy;
  private final TailnetIndex idx;
  private final List<CompiledRule> rules;

  PolicyTester(Policy policy, TailnetIndex idx, List<CompiledRule> rules) {
    this.policy = policy;
    this.idx = idx;
    this.rules = rules;
  }

  /** One line per failure; empty when all tests pass. */
  List<String> run() {
    List<String> failures = new ArrayList<>();
    for (PolicyTest t : policy.tests()) {
      String where = "test at line " + t.line();
      if (!t.wellFormed()) {
        failures.add(where + ": needs a src and at least one accept or deny entry");
        continue;
      }
      List<Source> src;
      List<Integer> proto;
      try {
        src = sources(t.src());
        proto = t.proto() == null ? List.of() : Protocols.parse(t.proto(), null);
      } catch (IllegalArgumentException e) {
        failures.add(where + ": src \"" + t.src() + "\": " + e.getMessage());
        continue;
      }
      if (src.isEmpty()) {
        failures.add(where + ": src \"" + t.src() + "\" has no addresses");
        continue;
      }
      check(t.accept(), true, src, proto, where, failures);
      check(t.deny(), false, src, proto, where, failures);
    }
    return failures;
  }

  private void check(
      List<String> dsts,
      boolean wantAllowed,
      List<Source> src,
      List<Integer> proto,
      String where,
      List<String> failures) {
    for (String dst : dsts) {
      Target target;
      try {
        target = target(dst);
      } catch (IllegalArgumentException e) {
        failures.add(where + ": dst \"" + dst + "\": " + e.getMessage());
        continue;
      }
      boolean all = true;
      boolean any = false;
      for (Source s : src) {
        for (Dest d : target.dests) {
          boolean ok = allowed(s, d, target.port, proto);
          all &= ok;
          any |= ok;
        }
      }
      if (wantAllowed && !all) {
        failures.add(where + ": " + dst + " expected ALLOWED, got DENIED");
      }
      if (!wantAllowed && any) {
        failures.add(where + ": " + dst + " expected DENIED, got ALLOWED");
      }
    }
  }

  private record Source(IpAddress address, TailnetNode node) {}

  private record Dest(IpAddress address, TailnetNode node) {}

  private record Target(List<Dest> dests, int port) {}

  private List<Source> sources(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty source");
    }
    Alias a = Alias.parse(text);
    requireKnown(a);
    List<Source> out = new ArrayList<>();
    IpPrefix p = idx.prefixOf(a);
    if (p != null) {
      if (!p.isSingleAddress()) {
        throw new IllegalArgumentException("a test source must be a single address");
      }
      TailnetNode owner = null;
      for (Long id : idx.nodesWithAddressIn(p)) {
        owner = idx.node(id);
      }
      out.add(new Source(p.address(), owner));
      return out;
    }
    if (a instanceof Alias.Wildcard
        || (a instanceof Alias.AutoGroup ag
            && ag.kind() != AutoGroupKind.MEMBER
            && ag.kind() != AutoGroupKind.TAGGED)) {
      throw new IllegalArgumentException("not a valid test source");
    }
    for (Long id : idx.nodesOf(a)) {
      TailnetNode n = idx.node(id);
      for (IpAddress addr : n.addresses()) {
        out.add(new Source(addr, n));
      }
    }
    return out;
  }

  private Target target(String text) {
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException("missing port");
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("missing port");
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
    }
    if (port.isEmpty()
        || port.length() > 5
        || !AsciiDigits.only(port)
        || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("a test destination needs one port between 0 and 65535");
    }
    Alias a = Alias.parse(host);
    requireKnown(a);
    List<Dest> out = new ArrayList<>();
    if (a instanceof Alias.Prefix pa && pa.text().contains("/")) {
      throw new IllegalArgumentException("a test destination cannot be a CIDR");
    }
    IpPrefix p = idx.prefixOf(a);
    if (p != null) {
      if (!p.isSingleAddress()) {
        throw new IllegalArgumentException("host \"" + host + "\" is not a single address");
      }
      TailnetNode owner = null;
      for (Long id : idx.nodesWithAddressIn(p)) {
        owner = idx.node(id);
      }
      out.add(new Dest(p.address(), owner));
    } else if (a instanceof Alias.AutoGroup || a instanceof Alias.Wildcard) {
      throw new IllegalArgumentException("\"" + host + "\" cannot be a test destination");
    } else {
      for (Long id : idx.nodesOf(a)) {
        TailnetNode n = idx.node(id);
        for (IpAddress addr : n.addresses()) {
          out.add(new Dest(addr, n));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("destination has no addresses");
    }
    return new Target(out, Integer.parseInt(port));
  }

  private void requireKnown(Alias a) {
    if (a instanceof Alias.Tag t && !policy.tagOwners().containsKey(t.text())) {
      throw new IllegalArgumentException("tag not found: \"" + t.text() + "\"");
    }
    if (a instanceof Alias.Group g && !policy.groups().containsKey(g.text())) {
      throw new IllegalArgumentException("group not found: \"" + g.text() + "\"");
    }
    if (a instanceof Alias.Host h && !policy.hosts().containsKey(h.text())) {
      throw new IllegalArgumentException("host not found: \"" + h.text() + "\"");
    }
    if (a instanceof Alias.User u && idx.usersMatching(u.text()).isEmpty()) {
      throw new IllegalArgumentException("user not found: \"" + u.text() + "\"");
    }
  }

  private boolean allowed(Source s, Dest d, int port, List<Integer> proto) {
    if (!policy.hasAccessRules()) {
      return true;
    }
    for (CompiledRule r : rules) {
      if (!protoMatches(r.ipProto, proto)) {
        continue;
      }
      boolean srcIn = r.srcEverything || r.srcSet.contains(s.address());
      if (srcIn) {
        for (CompiledRule.Entry e : r.entries) {
          if ((e.everything() || e.range().contains(d.address()))
              && e.wire().ports().contains(port)) {
            return true;
          }
        }
      }
      if (r.hasSelfDestination()
          && s.node() != null
          && d.node() != null
          && !s.node().isTagged()
          && !d.node().isTagged()
          && s.node().userId() != null
          && s.node().userId().equals(d.node().userId())
          && (r.srcEverything || r.srcNodes.contains(s.node().id()) || srcIn)
          && r.selfPorts.stream().anyMatch(pr -> pr.contains(port))) {
        return true;
      }
    }
    return false;
  }

  private static boolean protoMatches(List<Integer> ruleProto, List<Integer> testProto) {
    if (testProto.isEmpty() || ruleProto.isEmpty() && Protocols.DEFAULT.containsAll(testProto)) {
      return true;
    }
    return ruleProto.containsAll(testProto);
  }
}
