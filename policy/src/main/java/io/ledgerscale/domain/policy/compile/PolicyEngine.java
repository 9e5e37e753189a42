// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.PolicyException;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserTokens;
import java.util.List;
import java.util.Map;

/** The entry points the policy aggregate and the gateway use. */
public final class PolicyEngine {
  private PolicyEngine() {}

  /**
   * Parses, validates and compiles a policy about to be set, and runs its {@code tests} and {@code
   * sshTests} against the tailnet as it is. A user token that could name several users is refused
   * (see {@link UserTokens}). Throws {@link PolicyException} when the text is refused or a test
   * fails (Tailscale's "test(s) failed", followed by which ones); nothing is changed in that case.
   */
  public static CompiledPolicy accept(String hujson, TailnetSnapshot tailnet) {
    Policy policy = Policy.parse(hujson);
    DomainUsers.check(policy, tailnet);
    RoleAutogroups.check(policy, tailnet.settings());
    CompiledPolicy compiled = CompiledPolicy.compile(policy, tailnet);
    Map<String, List<TailnetUser>> ambiguous = compiled.ambiguousUsers();
    if (!ambiguous.isEmpty()) {
      throw new PolicyException(UserTokens.describe(ambiguous), 0, 0);
    }
    List<String> failures = new java.util.ArrayList<>(compiled.runTests());
    failures.addAll(compiled.runSshTests());
    if (!failures.isEmpty()) {
      throw new PolicyException("test(s) failed: " + String.join("; ", failures), 0, 0);
    }
    return compiled;
  }

  /**
   * Compiles an already accepted policy (at startup or after a tailnet change); tests are not run
   * again.
   */
  public static CompiledPolicy compile(String hujson, TailnetSnapshot tailnet) {
    return CompiledPolicy.compile(Policy.parse(hujson), tailnet);
  }
}
