// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** tailcfg.SSHRule as sent to a node. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SshRuleOut(
    @JsonProperty("principals") List<SshPrincipal> principals,
    @JsonProperty("sshUsers") Map<String, String> sshUsers,
    @JsonProperty("action") SshAction action,
    @JsonProperty("acceptEnv") List<String> acceptEnv) {}
