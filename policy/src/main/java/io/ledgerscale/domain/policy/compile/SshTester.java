// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.AutoGroupKind;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.SshTest;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the policy's {@code sshTests} against the SSH policy each destination node would receive, so
 * a test answers what the node itself will enforce. For every source address and destination node:
 * {@code accept} users must match a rule (accept or check), {@code check} users must match a check
 * rule, {@code deny} users must match none. Only the {@code ssh} section matters: network rules do
 * not open SSH, and SSH rules need no network rule.
 */
final class SshTester {
  private final Policy policy;
  private final TailnetIndex idx;
  private final Map<Long, SshPolicy> compiled = new HashMap<>();

  SshTester(Policy policy, TailnetIndex idx) {
    this.policy = policy;
    this.idx = idx;
  }

  /** One line per failure; empty when all SSH tests pass. */
  List<String> run() {
    List<String> failures = new ArrayList<>();
    for (SshTest t : policy.sshTests()) {
      String where = "sshTest at line " + t.line();
      if (t.accept().isEmpty() && t.check().isEmpty() && t.deny().isEmpty()) {
        failures.add(where + ": needs at least one accept, check or deny user");
        continue;
      }
      Source src;
      try {
        src = source(t.src());
      } catch (IllegalArgumentException e) {
        failures.add(where + ": src \"" + t.src() + "\": " + e.getMessage());
        continue;
      }
      if (src.addresses.isEmpty()) {
        failures.add(where + ": src \"" + t.src() + "\" has no addresses");
        continue;
      }
      Set<Long> dsts = new LinkedHashSet<>();
      for (String d : t.dst()) {
        Set<Long> nodes;
        try {
          nodes = destination(d, src);
        } catch (IllegalArgumentException e) {
          failures.add(where + ": dst \"" + d + "\": " + e.getMessage());
          continue;
        }
        if (nodes.isEmpty()) {
          failures.add(where + ": dst \"" + d + "\" names no node");
        }
        dsts.addAll(nodes);
      }
      for (Long dst : dsts) {
        String name = idx.node(dst).name();
        for (String user : t.accept()) {
          if (!every(src, dst, user, false)) {
            failures.add(
                where
                    + ": "
                    + t.src()
                    + " as "
                    + shown(user)
                    + " -> "
                    + name
                    + ": expected ALLOWED, got DENIED");
          }
        }
        for (String user : t.check()) {
          if (!every(src, dst, user, true)) {
            failures.add(
                where
                    + ": "
                    + t.src()
                    + " as "
                    + shown(user)
                    + " -> "
                    + name
                    + ": expected ALLOWED via check, got "
                    + (every(src, dst, user, false) ? "ALLOWED without check" : "DENIED"));
          }
        }
        for (String user : t.deny()) {
          if (any(src, dst, user)) {
            failures.add(
                where
                    + ": "
                    + t.src()
                    + " as "
                    + shown(user)
                    + " -> "
                    + name
                    + ": expected DENIED, got ALLOWED");
          }
        }
      }
    }
    return failures;
  }

  private static String shown(String user) {
    return user.isEmpty() ? "\"\"" : user;
  }

  private record Source(List<IpAddress> addresses, Long userId) {}

  private boolean every(Source src, long dst, String user, boolean viaCheck) {
    for (IpAddress a : src.addresses) {
      if (!lets(dst, a, user, viaCheck)) {
        return false;
      }
    }
    return true;
  }

  private boolean any(Source src, long dst, String user) {
    for (IpAddress a : src.addresses) {
      if (lets(dst, a, user, false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Does the destination's SSH policy let {@code from} in as {@code user} (through a check rule if
   * asked)?
   */
  private boolean lets(long dst, IpAddress from, String user, boolean viaCheck) {
    if (user.isEmpty()) {
      return false;
    }
    SshPolicy p = compiled.computeIfAbsent(dst, id -> SshCompiler.compile(policy, idx, id, true));
    if (p == null) {
      return false;
    }
    String addr = from.toString();
    for (SshRuleOut r : p.rules()) {
      if (r.action() == null || r.principals().stream().noneMatch(pr -> addr.equals(pr.nodeIp()))) {
        continue;
      }
      if (!mapsUser(r.sshUsers(), user)) {
        continue;
      }
      if (!viaCheck || r.action().check() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * tailcfg.SSHRule.SSHUsers as the client reads it: the user by name, else "*" for anyone but
   * root.
   */
  private static boolean mapsUser(Map<String, String> users, String user) {
    if (users.containsKey(user)) {
      return !users.get(user).isEmpty();
    }
    if (user.equals("root")) {
      return false;
    }
    String any = users.get("*");
    return any != null && !any.isEmpty();
  }

  private Source source(String text) {
    Alias a = Alias.parse(text);
    requireKnown(a);
    IpPrefix p = idx.prefixOf(a);
    if (p != null) {
      if (!p.isSingleAddress()) {
        throw new IllegalArgumentException("a test source must be a single address");
      }
      return new Source(List.of(p.address()), null);
    }
    if (a instanceof Alias.Wildcard
        || (a instanceof Alias.AutoGroup ag
            && ag.kind() != AutoGroupKind.MEMBER
            && ag.kind() != AutoGroupKind.TAGGED)) {
      throw new IllegalArgumentException("not a valid test source");
    }
    List<IpAddress> out = new ArrayList<>();
    for (Long id : idx.nodesOf(a)) {
      out.addAll(idx.node(id).addresses());
    }
    Long user = null;
    if (a instanceof Alias.User u) {
      Set<Long> users = idx.usersMatching(u.text());
      user = users.size() == 1 ? users.iterator().next() : null;
    }
    return new Source(out, user);
  }

  private Set<Long> destination(String text, Source src) {
    Alias a = Alias.parse(text);
    requireKnown(a);
    Set<Long> out = new LinkedHashSet<>();
    if (a instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.SELF) {
      // the source user's own devices; a tag or address source has none
      if (src.userId != null) {
        for (Long id : idx.nodesOfUser(src.userId)) {
          if (!idx.node(id).isTagged()) {
            out.add(id);
          }
        }
      }
      return out;
    }
    IpPrefix p = idx.prefixOf(a);
    if (p != null) {
      out.addAll(idx.nodesWithAddressIn(p));
      return out;
    }
    out.addAll(idx.nodesOf(a));
    return out;
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
}
