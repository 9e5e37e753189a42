// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.AutoGroupKind;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.SshRule;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
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

  static SshPolicy compile(Policy policy, TailnetIndex idx, long nodeId, String checkUrlBase) {
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
      if (!viaSelf && !viaOther) {
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
      if (!viaOther) {
        sources.retainAll(idx.nodesOfUser(node.userId()));
      }
      Set<String> principalAddrs = new TreeSet<>();
      for (Long id : sources) {
        for (IpAddress a : idx.node(id).addresses()) {
          principalAddrs.add(a.toString());
        }
      }
      if (principalAddrs.isEmpty()) {
        continue;
      }
      List<SshPrincipal> principals = principalAddrs.stream().map(SshPrincipal::new).toList();
      SshRuleOut out =
          new SshRuleOut(
              principals, sshUsers(rule.users()), action(rule, checkUrlBase), rule.acceptEnv());
      (rule.action().equals("check") ? checks : accepts).add(out);
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

  private static Map<String, String> sshUsers(List<String> users) {
    Map<String, String> m = new LinkedHashMap<>();
    boolean root = false;
    for (String u : users) {
      if (u.equals("autogroup:nonroot")) {
        m.put("*", "=");
      } else if (u.equals("root")) {
        root = true;
      } else if (!u.startsWith("localpart:")) {
        m.put(u, u);
      }
    }
    m.put("root", root ? "root" : "");
    return m;
  }

  private static SshAction action(SshRule rule, String checkUrlBase) {
    if (rule.action().equals("accept")) {
      return new SshAction(true, null, 0, true, true, true);
    }
    Duration period =
        rule.checkPeriod() == null
            ? DEFAULT_CHECK_PERIOD
            : rule.checkPeriod().equals("always")
                ? Duration.ZERO
                : parseDuration(rule.checkPeriod());
    String url =
        noiseUrlBase(checkUrlBase)
            + "/machine/ssh/action/from/$SRC_NODE_ID/to/$DST_NODE_ID?ssh_user=$SSH_USER&local_user=$LOCAL_USER";
    return new SshAction(false, url, period.toNanos(), true, true, true);
  }

  /**
   * tailscaled fetches holdAndDelegate over its Noise connection only when the URL is https (any
   * other scheme goes out as a plain request it cannot authenticate), so a server behind plain HTTP
   * still names itself https here.
   */
  static String noiseUrlBase(String base) {
    if (base == null) {
      return "";
    }
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return b.startsWith("http://") ? "https://" + b.substring("http://".length()) : b;
  }

  static Duration parseDuration(String s) {
    return io.ledgerscale.domain.policy.GoDuration.parse(s);
  }
}
