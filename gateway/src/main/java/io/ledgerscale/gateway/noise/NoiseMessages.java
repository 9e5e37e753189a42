// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.nio.charset.StandardCharsets;

/**
 * Wire layouts of Tailscale's control protocol framing ("controlbase"). All integers are
 * big-endian.
 *
 * <pre>
 * Initiation, client to server, exactly 101 bytes (carried base64 in the X-Tailscale-Handshake header):
 *   off len
 *   0   2   protocol version (the client's capability version, e.g. 113 = 0x0071)
 *   2   1   type = 1
 *   3   2   payload length = 96
 *   5   32  client ephemeral public key, in clear
 *   37  48  client machine (static) public key, encrypted: 32 bytes + 16-byte tag
 *   85  16  tag over the empty payload
 *
 * Response, server to client, exactly 51 bytes:
 *   0   1   type = 2
 *   1   2   payload length = 48
 *   3   32  server ephemeral public key, in clear
 *   35  16  tag over the empty payload
 *
 * Error, server to client instead of a response (unauthenticated, a hint only):
 *   0   1   type = 3
 *   1   2   length n
 *   3   n   ASCII message
 *
 * Record, both directions after the handshake:
 *   0   1   type = 4
 *   1   2   length n (ciphertext including the 16-byte tag); 3 + n &lt;= 4096
 *   3   n   ChaCha20-Poly1305(plaintext), nonce = 4 zero bytes + 64-bit big-endian counter, no associated data
 * </pre>
 */
public final class NoiseMessages {
  public static final byte TYPE_INITIATION = 1;
  public static final byte TYPE_RESPONSE = 2;
  public static final byte TYPE_ERROR = 3;
  public static final byte TYPE_RECORD = 4;

  public static final int INITIATION_HEADER_SIZE = 5;
  public static final int INITIATION_PAYLOAD_SIZE = 96;
  public static final int INITIATION_SIZE = INITIATION_HEADER_SIZE + INITIATION_PAYLOAD_SIZE;
  public static final int HEADER_SIZE = 3;
  public static final int RESPONSE_PAYLOAD_SIZE = 48;
  public static final int RESPONSE_SIZE = HEADER_SIZE + RESPONSE_PAYLOAD_SIZE;

  public static final int MAX_MESSAGE_SIZE = 4096;
  public static final int MAX_CIPHERTEXT_SIZE = MAX_MESSAGE_SIZE - HEADER_SIZE;
  public static final int MAX_PLAINTEXT_SIZE = MAX_CIPHERTEXT_SIZE - ChaChaPoly.TAG_SIZE;

  private NoiseMessages() {}

  /** A parsed initiation; the byte arrays are copies. */
  public record Initiation(
      int version, byte[] ephemeralPublic, byte[] encryptedMachineKey, byte[] tag) {

    /**
     * Checks size, type and length as Tailscale's server does, with the same hints to the client.
     */
    public static Initiation parse(byte[] msg) throws NoiseException {
      if (msg == null || msg.length != INITIATION_SIZE) {
        throw new NoiseException(
            "initiation is not " + INITIATION_SIZE + " bytes", "wrong handshake initiation size");
      }
      if (msg[2] != TYPE_INITIATION) {
        throw new NoiseException(
            "initiation has type " + msg[2], "unexpected handshake message type");
      }
      if (u16(msg, 3) != INITIATION_PAYLOAD_SIZE) {
        throw new NoiseException(
            "initiation length field " + u16(msg, 3), "wrong handshake initiation length");
      }
      return new Initiation(
          u16(msg, 0), slice(msg, 5, 32), slice(msg, 37, 48), slice(msg, 85, ChaChaPoly.TAG_SIZE));
    }
  }

  public static byte[] response(byte[] ephemeralPublic, byte[] tag) {
    byte[] out = new byte[RESPONSE_SIZE];
    out[0] = TYPE_RESPONSE;
    putU16(out, 1, RESPONSE_PAYLOAD_SIZE);
    System.arraycopy(ephemeralPublic, 0, out, 3, 32);
    System.arraycopy(tag, 0, out, 35, ChaChaPoly.TAG_SIZE);
    return out;
  }

  public static byte[] error(String message) {
    byte[] text = message.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[HEADER_SIZE + text.length];
    out[0] = TYPE_ERROR;
    putU16(out, 1, text.length);
    System.arraycopy(text, 0, out, HEADER_SIZE, text.length);
    return out;
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  static void putU16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static byte[] slice(byte[] b, int off, int len) {
    byte[] out = new byte[len];
    System.arraycopy(b, off, out, 0, len);
    return out;
  }
}
