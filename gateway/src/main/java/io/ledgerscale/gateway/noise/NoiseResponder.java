// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.security.SecureRandom;

/**
 * The server side of Tailscale's Noise IK handshake: one initiation in, one 51-byte response out.
 */
public final class NoiseResponder {
  private final byte[] staticPrivate;
  private final byte[] staticPublic;
  private final SecureRandom random;
  private final HandshakeCounts counts;

  public NoiseResponder(byte[] staticPrivate, SecureRandom random) {
    this(staticPrivate, random, new HandshakeCounts());
  }

  public NoiseResponder(byte[] staticPrivate, SecureRandom random, HandshakeCounts counts) {
    this.staticPrivate = staticPrivate.clone();
    this.staticPublic = Curve25519.publicKey(staticPrivate);
    this.random = random;
    this.counts = counts;
  }

  public byte[] staticPublic() {
    return staticPublic.clone();
  }

  /** Runs the responder with a fresh ephemeral key. */
  public NoiseSession respond(byte[] initiation) throws NoiseException {
    try {
      NoiseSession session = respond(initiation, Curve25519.generatePrivate(random));
      counts.completed();
      return session;
    } catch (NoiseException e) {
      counts.refused(e);
      throw e;
    }
  }

  /**
   * Runs the responder with the given ephemeral private key (tests pin it to check transcripts).
   */
  NoiseSession respond(byte[] initiation, byte[] ephemeralPrivate) throws NoiseException {
    NoiseMessages.Initiation init = NoiseMessages.Initiation.parse(initiation);
    SymmetricState s = new SymmetricState(init.version());
    // pre-message: <- s
    s.mixHash(staticPublic);
    // -> e, es, s, ss
    s.mixHash(init.ephemeralPublic());
    byte[] k = s.mixDh(staticPrivate, init.ephemeralPublic());
    byte[] machineKey;
    try {
      machineKey = s.decryptAndHash(k, init.encryptedMachineKey());
    } catch (NoiseException e) {
      throw new NoiseException("decrypting machine key: " + e.getMessage());
    }
    k = s.mixDh(staticPrivate, machineKey);
    try {
      s.decryptAndHash(k, init.tag());
    } catch (NoiseException e) {
      throw new NoiseException("decrypting initiation tag: " + e.getMessage());
    }
    // <- e, ee, se
    byte[] ephemeralPublic = Curve25519.publicKey(ephemeralPrivate);
    s.mixHash(ephemeralPublic);
    s.mixDh(ephemeralPrivate, init.ephemeralPublic());
    k = s.mixDh(ephemeralPrivate, machineKey);
    byte[] tag = s.encryptAndHash(k, new byte[0]);
    byte[][] keys = s.split();
    return new NoiseSession(
        init.version(),
        machineKey,
        NoiseMessages.response(ephemeralPublic, tag),
        new TransportCipher(keys[0]),
        new TransportCipher(keys[1]),
        s.handshakeHash());
  }
}
