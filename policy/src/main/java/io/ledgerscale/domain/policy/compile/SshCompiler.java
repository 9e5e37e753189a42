// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.AutoGroupKind;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.SshRule;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the tailcfg.SSHPolicy a node enforces for incoming SSH, from the policy's {@code ssh}
 * section.
 */
final class SshCompiler {
  static final Duration DEFAULT_CHECK_PERIOD = Duration.ofHours(12);

  private SshCompiler() {}

  static SshPolicy compile(Policy policy, TailnetIndex idx, long nodeId, boolean wire) {
    if (policy.ssh().isEmpty()) {
      return null;
    }
    TailnetNode node = idx.node(nodeId);
    if (node == null) {
      return new SshPolicy(List.of());
    }
    List<SshRuleOut> checks = new ArrayList<>();
    List<SshRuleOut> accepts = new ArrayList<>();
    for (SshRule rule : policy.ssh()) {
      boolean viaSelf = false;
      boolean viaOther = false;
      for (Alias d : rule.destinations()) {
        if (d instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.SELF) {
          viaSelf |= !node.isTagged() && node.userId() != null;
        } else if (namesNode(idx, d, node)) {
          viaOther = true;
        }
      }
      List<String> domains = localpartDomains(rule.users());
      if (!viaSelf && !viaOther && domains.isEmpty()) {
        continue;
      }
      Set<Long> sources = new TreeSet<>();
      for (Alias s : rule.sources()) {
        IpPrefix p = idx.prefixOf(s);
        if (p != null) {
          sources.addAll(idx.nodesWithAddressIn(p));
        } else {
          sources.addAll(idx.nodesOf(s));
        }
      }
      if (!viaSelf && !viaOther) {
        // Tailscale also sends a localpart rule to its sources, each its own group's part (its
        // user's nodes, or the tagged ones), as if autogroup:self were a destination
        if (!sources.contains(nodeId)) {
          continue;
        }
        Long owner = node.owningUserId();
        sources.removeIf(id -> !java.util.Objects.equals(idx.node(id).owningUserId(), owner));
      } else if (!viaOther) {
        sources.retainAll(idx.nodesOfUser(node.userId()));
      }
      Map<String, String> users = sshUsers(rule.users());
      SshAction action = action(rule, wire);
      List<SshRuleOut> out = rule.action().equals("check") ? checks : accepts;
      if (domains.isEmpty()) {
        addRule(out, idx, sources, users, action, rule.acceptEnv());
        continue;
      }
      // localpart:*@domain: Tailscale splits the rule per source user, each user's nodes getting
      // the rule's other logins and then, when the user's address is in the domain, the login
      // named like the address's local part; tagged sources get only the other logins
      Map<Long, Set<Long>> byUser = new java.util.TreeMap<>();
      Set<Long> tagged = new TreeSet<>();
      for (Long id : sources) {
        Long owner = idx.node(id).owningUserId();
        if (owner == null) {
          tagged.add(id);
        } else {
          byUser.computeIfAbsent(owner, k -> new TreeSet<>()).add(id);
        }
      }
      for (Map.Entry<Long, Set<Long>> e : byUser.entrySet()) {
        addRule(out, idx, e.getValue(), users, action, rule.acceptEnv());
        String login = localpart(idx.snapshot.user(e.getKey()), domains);
        if (login != null) {
          Map<String, String> own = new LinkedHashMap<>();
          own.put(login, login);
          addRule(out, idx, e.getValue(), own, action, rule.acceptEnv());
        }
      }
      addRule(out, idx, tagged, users, action, rule.acceptEnv());
    }
    // check rules first: the client takes the first match, and check is the stricter answer
    List<SshRuleOut> all = new ArrayList<>(checks);
    all.addAll(accepts);
    return new SshPolicy(all);
  }

  private static boolean namesNode(TailnetIndex idx, Alias d, TailnetNode node) {
    IpPrefix p = idx.prefixOf(d);
    if (p != null) {
      return node.addresses().stream().anyMatch(p::contains);
    }
    return idx.nodesOf(d).contains(node.id());
  }

  /** One rule for the nodes' addresses; none when there are no nodes. */
  private static void addRule(
      List<SshRuleOut> out,
      TailnetIndex idx,
      Set<Long> nodes,
      Map<String, String> users,
      SshAction action,
      List<String> acceptEnv) {
    Set<String> addrs = new TreeSet<>();
    for (Long id : nodes) {
      for (IpAddress a : idx.node(id).addresses()) {
        addrs.add(a.toString());
      }
    }
    if (!addrs.isEmpty()) {
      out.add(
          new SshRuleOut(addrs.stream().map(SshPrincipal::new).toList(), users, action, acceptEnv));
    }
  }

  /**
   * The logins a rule names, without its {@code localpart:*@domain} entries (those become rules of
   * their own); root is always named, as Tailscale sends it ("" when not allowed). A malformed
   * localpart entry is a login name like any other, as Tailscale takes it.
   */
  private static Map<String, String> sshUsers(List<String> users) {
    Map<String, String> m = new LinkedHashMap<>();
    boolean root = false;
    for (String u : users) {
      if (u.equals("autogroup:nonroot")) {
        m.put("*", "=");
      } else if (u.equals("root")) {
        root = true;
      } else if (localpartDomain(u) == null) {
        m.put(u, u);
      }
    }
    m.put("root", root ? "root" : "");
    return m;
  }

  /** The domains of the rule's well-formed {@code localpart:*@domain} entries. */
  private static List<String> localpartDomains(List<String> users) {
    List<String> out = new ArrayList<>();
    for (String u : users) {
      String d = localpartDomain(u);
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  /** {@code localpart:*@example.com} gives example.com; anything else null. */
  static String localpartDomain(String user) {
    String prefix = "localpart:*@";
    if (!user.startsWith(prefix)) {
      return null;
    }
    String domain = user.substring(prefix.length());
    return domain.isEmpty() ? null : domain;
  }

  /**
   * The user's login for a localpart rule: the local part of an address in one of the domains
   * (compared exactly, as Tailscale refuses {@code *@EXAMPLE.COM} for example.com).
   */
  private static String localpart(TailnetUser user, List<String> domains) {
    if (user == null || user.email() == null) {
      return null;
    }
    int at = user.email().lastIndexOf('@');
    if (at <= 0) {
      return null;
    }
    String domain = user.email().substring(at + 1);
    for (String d : domains) {
      if (d.equals(domain)) {
        return user.email().substring(0, at);
      }
    }
    return null;
  }

  /**
   * A check rule goes to the node as Tailscale sends it, only the check (the gateway names the URL
   * to ask); the server's own copy ({@code wire} false) also keeps what a passed check grants (the
   * session's length and forwarding), which the check's answer carries.
   */
  private static SshAction action(SshRule rule, boolean wire) {
    if (rule.action().equals("accept")) {
      return new SshAction(true, null, 0, true, true, true, null);
    }
    Duration period =
        rule.checkPeriod() == null
            ? DEFAULT_CHECK_PERIOD
            : rule.checkPeriod().equals("always")
                ? Duration.ZERO
                : parseDuration(rule.checkPeriod());
    SshCheck check = new SshCheck(period);
    return wire
        ? new SshAction(false, null, 0, false, false, false, check)
        : new SshAction(false, null, period.toNanos(), true, true, true, check);
  }

  static Duration parseDuration(String s) {
    return io.ledgerscale.domain.policy.GoDuration.parse(s);
  }
}
