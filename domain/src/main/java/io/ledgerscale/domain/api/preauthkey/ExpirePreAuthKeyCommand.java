// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.preauthkey;

/** Expires a pre-auth key now. */
public record ExpirePreAuthKeyCommand(long keyId) {}
