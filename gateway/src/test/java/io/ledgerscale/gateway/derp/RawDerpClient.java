// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import io.ledgerscale.gateway.noise.Curve25519;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A blocking test client that speaks DERP byte by byte, so tests can also send what a real client
 * never would.
 */
final class RawDerpClient implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();
  final byte[] privateKey = Curve25519.generatePrivate(RANDOM);
  final byte[] publicKey = Curve25519.publicKey(privateKey);
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  byte[] serverKey;

  /** Connects and reads the 101 and the ServerKey frame. */
  RawDerpClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    out = socket.getOutputStream();
    out.write(
        ("GET /derp HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: DERP\r\nConnection: Upgrade\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    in = new DataInputStream(socket.getInputStream());
    String head = readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("no upgrade: " + head);
    }
    Frame k = read();
    if (k.type != FrameType.SERVER_KEY) {
      throw new IOException("first frame " + k.type);
    }
    serverKey = Arrays.copyOfRange(k.payload, 8, 40);
  }

  record Frame(byte type, byte[] payload) {}

  private String readHead() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      sb.append((char) in.readUnsignedByte());
    }
    return sb.toString();
  }

  /** Sends ClientInfo with a box that opens, or (when {@code tamper}) one that does not. */
  void hello(boolean tamper) throws IOException {
    hello(tamper, "{\"version\":2}");
  }

  /** Sends ClientInfo sealing {@code json}. */
  void hello(boolean tamper, String json) throws IOException {
    byte[] shared = NaclBox.sharedKey(privateKey, serverKey);
    byte[] box = NaclBox.seal(shared, json.getBytes(StandardCharsets.UTF_8), RANDOM);
    if (tamper) {
      box[box.length - 1] ^= 1;
    }
    send(FrameType.CLIENT_INFO, concat(publicKey, box));
  }

  /** Completes the handshake and answers the ServerInfo JSON. */
  String handshake() throws IOException {
    hello(false);
    Frame info = read();
    if (info.type != FrameType.SERVER_INFO) {
      throw new IOException("expected ServerInfo, got " + info.type);
    }
    byte[] json =
        NaclBox.open(
            NaclBox.sharedKey(privateKey, serverKey), info.payload, 0, info.payload.length);
    return new String(json, StandardCharsets.UTF_8);
  }

  void send(byte type, byte[] payload) throws IOException {
    sendRaw(type, payload.length, payload);
  }

  void sendRaw(byte type, int declaredLength, byte[] payload) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(5 + payload.length);
    b.put(type).putInt(declaredLength).put(payload);
    out.write(b.array());
    out.flush();
  }

  void sendBytes(byte[] raw) throws IOException {
    out.write(raw);
    out.flush();
  }

  void sendPacket(byte[] to, byte[] packet) throws IOException {
    send(FrameType.SEND_PACKET, concat(to, packet));
  }

  Frame read() throws IOException {
    byte type = in.readByte();
    int len = in.readInt();
    byte[] p = new byte[len];
    in.readFully(p);
    return new Frame(type, p);
  }

  /** The next frame that is not a keep-alive. */
  Frame readSkippingKeepAlives() throws IOException {
    Frame f;
    do {
      f = read();
    } while (f.type == FrameType.KEEP_ALIVE);
    return f;
  }

  /** True when the server closed the connection (EOF or reset) within the read timeout. */
  boolean closedByServer() {
    try {
      while (true) {
        read();
      }
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
