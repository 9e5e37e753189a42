// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Connections that never finish a request (slowloris) or never start one hold an fd each: the
 * public listener closes them after its header and no-request timeouts.
 */
class SlowHeadersIT extends LimitedServer {
  /** Far beyond both timeouts: a server without them would still be listening. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Test
  void shouldCloseAConnectionWhoseHeadersArriveOneByteAtATime() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /api/v1/user HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] header = "X-Slow: ".getBytes(StandardCharsets.US_ASCII);
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      boolean closed = false;
      int i = 0;
      while (!closed && System.nanoTime() < deadline) {
        try {
          out.write(i < header.length ? header[i] : 'a');
          out.flush();
          i++;
          Thread.sleep(250);
          closed = closedWithin(s, Duration.ofMillis(1));
        } catch (IOException reset) {
          closed = true;
        }
      }
      assertThat(closed)
          .as("closed before %s of dribbling (header timeout %s)", PATIENCE, HEADER_TIMEOUT)
          .isTrue();
    }
    assertThat(adminStatus()).isEqualTo(200);
  }

  @Test
  void shouldCloseAConnectionThatSendsNothing() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      assertThat(closedWithin(s, PATIENCE))
          .as("closed within %s (no-request timeout %s)", PATIENCE, NO_REQUEST_TIMEOUT)
          .isTrue();
    }
  }

  @Test
  void shouldCloseAKeptAliveConnectionAfterItsRequest() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream()
          .write(
              ("GET /api/v1/user HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                      + initialApiKey()
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      // the answer, then the connection stays open for the next request until the timeout
      assertThat(closedWithin(s, PATIENCE)).isTrue();
    }
  }

  /** True when the server closed (EOF or reset) within {@code wait}; reads and drops any data. */
  private static boolean closedWithin(Socket s, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      s.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
      try {
        if (in.read(buf) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException reset) {
        return true;
      }
    }
  }
}
