// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers STUN Binding requests on UDP so clients learn their public address and port ({@link
 * StunMessage}). One thread serves the socket: each request is answered by one send, with no state
 * kept between them.
 */
public final class StunServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StunServer.class);
  private final DatagramChannel channel;
  private final DerpMetrics metrics;
  private final Thread thread;

  private StunServer(DatagramChannel channel, DerpMetrics metrics) {
    this.channel = channel;
    this.metrics = metrics;
    this.thread = new Thread(this::serve, "derp-stun");
    thread.setDaemon(true);
  }

  /** Binds {@code address} and starts answering. */
  public static StunServer start(InetSocketAddress address, DerpMetrics metrics)
      throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    try {
      ch.bind(address);
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot listen for STUN on " + address + ": " + e.getMessage(), e);
    }
    StunServer s = new StunServer(ch, metrics);
    s.thread.start();
    log.info("STUN listening on udp {}", ch.getLocalAddress());
    return s;
  }

  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  private void serve() {
    ByteBuffer in = ByteBuffer.allocate(2048);
    while (channel.isOpen()) {
      try {
        in.clear();
        SocketAddress from = channel.receive(in);
        in.flip();
        if (from instanceof InetSocketAddress src) {
          ByteBuffer out = StunMessage.answer(in, src);
          if (out != null) {
            metrics.stunRequest();
            channel.send(out, src);
          }
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        // one failed send (an unreachable sender) must not stop the service
        log.debug("STUN: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
