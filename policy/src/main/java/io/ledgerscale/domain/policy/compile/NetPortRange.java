// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ledgerscale.domain.policy.PortRange;

/** tailcfg.NetPortRange: an address, CIDR, {@code a-b} range or {@code *}, with ports. */
public record NetPortRange(@JsonProperty("IP") String ip, @JsonProperty("Ports") PortRange ports) {}
