// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * A signed checkpoint (the C2SP note), its tree size and base64 root, and the verifier key that
 * checks it ({@code <name>+<hash>+<key>}): keep the key and notes somewhere the server cannot
 * reach.
 */
public record AuditCheckpointView(
    long treeSize, String rootHash, String note, String verifierKey, Instant signedAt) {}
