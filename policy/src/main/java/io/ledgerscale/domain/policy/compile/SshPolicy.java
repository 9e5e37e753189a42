// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** tailcfg.SSHPolicy for one node. */
public record SshPolicy(@JsonProperty("rules") List<SshRuleOut> rules) {
  public SshPolicy {
    rules = List.copyOf(rules);
  }
}
