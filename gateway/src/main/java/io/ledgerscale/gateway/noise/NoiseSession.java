// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

/**
 * The outcome of a completed handshake on the server side. {@code peerMachineKey} is the client's
 * authenticated machine public key: the identity every later request on this connection is checked
 * against.
 */
public record NoiseSession(
    int protocolVersion,
    byte[] peerMachineKey,
    byte[] response,
    TransportCipher receive,
    TransportCipher send,
    byte[] handshakeHash) {}
