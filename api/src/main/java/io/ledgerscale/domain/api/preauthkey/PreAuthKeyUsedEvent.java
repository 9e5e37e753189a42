// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.preauthkey;

import org.axonframework.serialization.Revision;

/** A pre-auth key registered a node. A single-use key gets exactly one of these. */
@Revision("1")
public record PreAuthKeyUsedEvent(long keyId, long nodeId) {}
