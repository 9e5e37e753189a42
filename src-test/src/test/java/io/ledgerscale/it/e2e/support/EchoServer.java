// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line echo server on 127.0.0.1 in the test JVM. A userspace-networking tailscaled hands an
 * inbound TCP connection for its own tailnet address to 127.0.0.1 on the same port
 * (wgengine/netstack acceptTCP), and only after its packet filter let the SYN in, so a connection
 * that reaches this server went through the receiving node's filter. Each connection gets its first
 * line back and is closed, which ends {@code tailscale nc} on the other side.
 */
public final class EchoServer implements AutoCloseable {
  private final ServerSocket socket;
  private final ExecutorService workers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "echo");
            t.setDaemon(true);
            return t;
          });
  private final AtomicInteger accepted = new AtomicInteger();

  private EchoServer(ServerSocket socket) {
    this.socket = socket;
  }

  public static EchoServer start() throws IOException {
    EchoServer server = new EchoServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    server.workers.execute(server::acceptLoop);
    return server;
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Connections that reached this server so far, whether or not they sent a line. */
  public int accepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket c = socket.accept();
        accepted.incrementAndGet();
        workers.execute(() -> echoOneLine(c));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void echoOneLine(Socket c) {
    try (c) {
      c.setSoTimeout(30_000);
      String line =
          new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      if (line != null) {
        OutputStream out = c.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      // the peer went away; nothing to echo
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    workers.shutdownNow();
  }
}
