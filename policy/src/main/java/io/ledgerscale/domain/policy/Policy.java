// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.List;
import java.util.Map;

/**
 * A parsed and validated Tailscale policy. Every name a rule uses is known (groups, tags, hosts);
 * groups hold users only (no nested groups). Build one with {@link #parse(String)}.
 *
 * @param hasAccessRules false when the policy has neither {@code acls} nor {@code grants}:
 *     everything is allowed
 * @param sshTests the {@code sshTests} entries, shape-checked; they run with {@code tests}
 * @param nodeAttrs the {@code nodeAttrs} entries, targets checked
 * @param randomizeClientPort the top-level flag: every node gets the {@code randomize-client-port}
 *     attribute
 */
public record Policy(
    Map<String, List<String>> groups,
    Map<String, IpPrefix> hosts,
    Map<String, List<String>> tagOwners,
    List<AccessRule> rules,
    boolean hasAccessRules,
    AutoApprovers autoApprovers,
    List<SshRule> ssh,
    List<PolicyTest> tests,
    List<SshTest> sshTests,
    List<NodeAttr> nodeAttrs,
    boolean randomizeClientPort) {

  /** No policy at all: allow everything, nobody owns a tag. */
  public static final Policy ALLOW_ALL =
      new Policy(
          Map.of(),
          Map.of(),
          Map.of(),
          List.of(),
          false,
          AutoApprovers.NONE,
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          false);

  /**
   * Parses and validates HuJSON; throws {@link PolicyException} naming the first problem and where
   * it is.
   */
  public static Policy parse(String hujson) {
    if (hujson == null || hujson.isBlank()) {
      return ALLOW_ALL;
    }
    return new PolicyParser().parse(hujson);
  }

  public boolean isTagDeclared(String tag) {
    return tagOwners.containsKey(tag);
  }
}
