// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.preauthkey;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A pre-auth key was expired by an admin. */
@Revision("1")
public record PreAuthKeyExpiredEvent(long keyId, Instant expiredAt) {}
