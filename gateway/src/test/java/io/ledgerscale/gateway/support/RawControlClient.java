// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A plain socket speaking the /ts2021 upgrade by hand, for tests that must send what no real client
 * would.
 */
public final class RawControlClient implements AutoCloseable {
  private final Socket socket;
  public final InputStream in;
  public final OutputStream out;

  public RawControlClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends the upgrade request and returns the HTTP response head (status line and headers). */
  public String upgrade(byte[] initiation) throws IOException {
    return request(
        "POST /ts2021 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: tailscale-control-protocol\r\n"
            + "Connection: upgrade\r\nX-Tailscale-Handshake: "
            + Base64.getEncoder().encodeToString(initiation)
            + "\r\nContent-Length: 0\r\n\r\n");
  }

  public String request(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  public byte[] readExactly(int n) throws IOException {
    return in.readNBytes(n);
  }

  /** True if the server closed the connection (EOF, or reset) within the socket timeout. */
  public boolean closedByServer() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // connection reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
