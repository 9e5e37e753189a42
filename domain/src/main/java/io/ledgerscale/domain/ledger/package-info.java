// SPDX-License-Identifier: Apache-2.0
/**
 * The provable audit ledger, with no Spring and no SQL so an auditor can run it offline: leaf
 * hashes over the stored bytes of each event, the chain, the RFC 6962 Merkle tree with its
 * inclusion and consistency proofs, C2SP signed-note checkpoints (Ed25519), and the verifier of an
 * export. Following the event store and keeping the tree in PostgreSQL is the projections' part.
 */
package io.ledgerscale.domain.ledger;
