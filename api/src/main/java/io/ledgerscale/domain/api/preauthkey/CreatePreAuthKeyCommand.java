// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.preauthkey;

import java.time.Instant;
import java.util.List;

/**
 * Creates a pre-auth key for a user, or for tags only when userId is null. The handler answers with
 * an {@link IssuedPreAuthKey}: the only time the secret is seen.
 */
public record CreatePreAuthKeyCommand(
    Long userId, boolean reusable, boolean ephemeral, Instant expiration, List<String> aclTags) {}
