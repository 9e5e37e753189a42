// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/** The tailnet's bookkeeping began: ids, names and addresses are handed out from here on. */
@Revision("1")
public record TailnetStartedEvent(String ipv4Range, String ipv6Range) {}
