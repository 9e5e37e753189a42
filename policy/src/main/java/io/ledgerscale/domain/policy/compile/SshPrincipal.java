// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import com.fasterxml.jackson.annotation.JsonProperty;

/** tailcfg.SSHPrincipal by node address. */
public record SshPrincipal(@JsonProperty("nodeIP") String nodeIp) {}
