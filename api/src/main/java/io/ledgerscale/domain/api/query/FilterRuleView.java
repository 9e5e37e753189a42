// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.util.List;

/**
 * tailcfg.FilterRule: sources, destinations as {@code ip:ports}, IP protocols (empty: TCP, UDP,
 * ICMP).
 */
public record FilterRuleView(List<String> srcIps, List<String> dstPorts, List<Integer> ipProto) {}
