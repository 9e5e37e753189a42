// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.security.SecureRandom;

/**
 * The client side of the handshake, for tests that need to send hand-made (and deliberately broken)
 * records. The interoperability of the responder itself is checked against Tailscale's Go initiator
 * (see Ts2021GoInteropTest).
 */
public final class TestInitiator {
  public final byte[] machinePrivate;
  public final byte[] machinePublic;
  private final byte[] ephemeralPrivate;
  private final byte[] serverPublic;
  private final int version;
  private SymmetricState s;

  public TestInitiator(byte[] serverPublic, int version, SecureRandom random) {
    this.machinePrivate = Curve25519.generatePrivate(random);
    this.machinePublic = Curve25519.publicKey(machinePrivate);
    this.ephemeralPrivate = Curve25519.generatePrivate(random);
    this.serverPublic = serverPublic;
    this.version = version;
  }

  public byte[] initiation() throws NoiseException {
    s = new SymmetricState(version);
    s.mixHash(serverPublic);
    byte[] e = Curve25519.publicKey(ephemeralPrivate);
    s.mixHash(e);
    byte[] k = s.mixDh(ephemeralPrivate, serverPublic);
    byte[] encS = s.encryptAndHash(k, machinePublic);
    k = s.mixDh(machinePrivate, serverPublic);
    byte[] tag = s.encryptAndHash(k, new byte[0]);
    byte[] msg = new byte[NoiseMessages.INITIATION_SIZE];
    NoiseMessages.putU16(msg, 0, version);
    msg[2] = NoiseMessages.TYPE_INITIATION;
    NoiseMessages.putU16(msg, 3, NoiseMessages.INITIATION_PAYLOAD_SIZE);
    System.arraycopy(e, 0, msg, 5, 32);
    System.arraycopy(encS, 0, msg, 37, 48);
    System.arraycopy(tag, 0, msg, 85, 16);
    return msg;
  }

  /** Completes the handshake; returns {client-to-server, server-to-client} ciphers. */
  public TransportCipher[] finish(byte[] response) throws NoiseException {
    if (response.length != NoiseMessages.RESPONSE_SIZE
        || response[0] != NoiseMessages.TYPE_RESPONSE) {
      throw new NoiseException("not a response message");
    }
    byte[] re = NoiseMessages.slice(response, 3, 32);
    s.mixHash(re);
    s.mixDh(ephemeralPrivate, re);
    byte[] k = s.mixDh(machinePrivate, re);
    s.decryptAndHash(k, NoiseMessages.slice(response, 35, 16));
    byte[][] keys = s.split();
    return new TransportCipher[] {new TransportCipher(keys[0]), new TransportCipher(keys[1])};
  }
}
