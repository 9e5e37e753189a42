// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.preauthkey;

/** Deletes a pre-auth key. */
public record DeletePreAuthKeyCommand(long keyId) {}
