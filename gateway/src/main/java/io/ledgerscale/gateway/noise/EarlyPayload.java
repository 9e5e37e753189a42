// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The optional first plaintext the server sends after the handshake, before HTTP/2:
 *
 * <pre>
 *   5 bytes  FF FF FF 54 53  ("\xff\xff\xffTS"; an HTTP/2 frame header can never start like this)
 *   4 bytes  u32 big-endian length L
 *   L bytes  JSON tailcfg.EarlyNoise, {"nodeKeyChallenge":"chalpub:&lt;64 hex&gt;"}
 * </pre>
 *
 * The challenge is a fresh Curve25519 public key per connection; today's clients parse it and keep
 * it.
 */
public final class EarlyPayload {
  static final byte[] MAGIC = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 'T', 'S'};

  private EarlyPayload() {}

  public static byte[] withFreshChallenge(SecureRandom random) {
    byte[] challenge = Curve25519.publicKey(Curve25519.generatePrivate(random));
    return of("{\"nodeKeyChallenge\":\"chalpub:" + HexFormat.of().formatHex(challenge) + "\"}");
  }

  static byte[] of(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[MAGIC.length + 4 + body.length];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    int l = body.length;
    out[5] = (byte) (l >>> 24);
    out[6] = (byte) (l >>> 16);
    out[7] = (byte) (l >>> 8);
    out[8] = (byte) l;
    System.arraycopy(body, 0, out, 9, body.length);
    return out;
  }
}
