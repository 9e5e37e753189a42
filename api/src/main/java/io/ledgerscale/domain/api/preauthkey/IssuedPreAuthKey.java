// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.preauthkey;

import java.time.Instant;

/**
 * The answer to {@link CreatePreAuthKeyCommand}: the full key text, shown once and never stored.
 */
public record IssuedPreAuthKey(long id, String key, Instant expiration) {}
