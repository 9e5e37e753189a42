// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.preauthkey;

import org.axonframework.serialization.Revision;

/** A pre-auth key was deleted. */
@Revision("1")
public record PreAuthKeyDeletedEvent(long keyId) {}
