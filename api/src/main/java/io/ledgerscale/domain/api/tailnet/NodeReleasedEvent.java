// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/** The tailnet freed a deleted node's machine key, name and addresses; the id is never reused. */
@Revision("1")
public record NodeReleasedEvent(
    long nodeId, String machineKey, String givenName, String ipv4, String ipv6) {}
