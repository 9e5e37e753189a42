// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

/**
 * The OS hostname a node's client reports (Hostinfo.Hostname, e.g. after {@code tailscale set
 * --hostname}), sent by the gateway when it differs from the node's recorded hostname; the same
 * hostname again changes nothing.
 */
public record RecordNodeHostnameCommand(long nodeId, String hostname) {}
