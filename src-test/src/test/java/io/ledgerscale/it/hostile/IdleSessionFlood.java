// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.hostile;

import io.ledgerscale.gateway.noise.TestInitiator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attacker, in a process of its own so that its sockets do not count against the server's fd
 * limit: opens Noise sessions (a real handshake, no credentials) and then says nothing. Prints
 * {@code ready opened=N refused=N failed=N} once every attempt was made, then {@code closed N} when
 * the server has closed every session it got. Arguments: port, server public key (hex), attempts.
 */
public final class IdleSessionFlood {
  private static final SecureRandom RANDOM = new SecureRandom();

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    byte[] serverKey = HexFormat.of().parseHex(args[1]);
    int attempts = Integer.parseInt(args[2]);
    List<SocketChannel> open = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int i = 0; i < attempts; i++) {
      pool.execute(
          () -> {
            try {
              SocketChannel c = session(port, serverKey);
              if (c == null) {
                refused.incrementAndGet();
              } else {
                open.add(c);
              }
            } catch (Exception e) {
              failed.incrementAndGet();
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    System.out.println(
        "ready opened=" + open.size() + " refused=" + refused + " failed=" + failed.get());
    System.out.flush();
    awaitAllClosed(open);
    System.out.println("closed " + open.size());
    System.out.flush();
  }

  /** A session the server accepted (101), or null when it answered with a refusal. */
  private static SocketChannel session(int port, byte[] serverKey) throws Exception {
    SocketChannel c = SocketChannel.open();
    try {
      c.socket().setSoTimeout(30_000);
      c.connect(new InetSocketAddress("127.0.0.1", port));
      String request =
          "POST /ts2021 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: tailscale-control-protocol\r\n"
              + "Connection: upgrade\r\nX-Tailscale-Handshake: "
              + Base64.getEncoder()
                  .encodeToString(new TestInitiator(serverKey, 113, RANDOM).initiation())
              + "\r\nContent-Length: 0\r\n\r\n";
      c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
      StringBuilder head = new StringBuilder();
      var in = c.socket().getInputStream();
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed before an answer");
        }
        head.append((char) b);
      }
      if (head.toString().startsWith("HTTP/1.1 101")) {
        return c;
      }
      c.close();
      return null;
    } catch (Exception e) {
      c.close();
      throw e;
    }
  }

  /** Waits until the server has closed every session: each read ends in EOF or a reset. */
  private static void awaitAllClosed(List<SocketChannel> open) throws IOException {
    try (Selector selector = Selector.open()) {
      int live = 0;
      for (SocketChannel c : open) {
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ);
        live++;
      }
      ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
      while (live > 0) {
        selector.select();
        for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey k = it.next();
          it.remove();
          SocketChannel c = (SocketChannel) k.channel();
          int n;
          try {
            sink.clear();
            n = c.read(sink);
          } catch (IOException reset) {
            n = -1;
          }
          if (n < 0) {
            k.cancel();
            c.close();
            live--;
          }
        }
      }
    }
  }
}
