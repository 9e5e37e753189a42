// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.function.Function;

/** tailcfg.SSHPolicy for one node. */
public record SshPolicy(@JsonProperty("rules") List<SshRuleOut> rules) {
  public SshPolicy {
    rules = List.copyOf(rules);
  }

  /** This policy with each check rule's {@code holdAndDelegate} set to {@code url} of its check. */
  public SshPolicy withCheckUrl(Function<SshCheck, String> url) {
    return new SshPolicy(
        rules.stream()
            .map(
                r ->
                    r.action() == null || r.action().check() == null
                        ? r
                        : new SshRuleOut(
                            r.principals(),
                            r.sshUsers(),
                            r.action().withHoldAndDelegate(url.apply(r.action().check())),
                            r.acceptEnv()))
            .toList());
  }
}
