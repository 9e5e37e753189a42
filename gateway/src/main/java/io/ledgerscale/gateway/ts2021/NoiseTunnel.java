// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.noise.NoiseException;
import io.ledgerscale.gateway.noise.NoiseSession;
import io.ledgerscale.gateway.noise.RecordDecoder;
import io.ledgerscale.gateway.noise.RecordEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;

/**
 * Turns an upgraded TCP connection carrying Noise records into the connection Undertow's HTTP/2
 * server reads and writes: the socket's conduits are wrapped by a decrypting {@link
 * NoiseSourceConduit} and an encrypting {@link NoiseSinkConduit}, as TLS wraps a socket. One file
 * descriptor a session and no copy through a pipe; records are sealed and opened on the thread that
 * writes or reads, which the HTTP/2 server keeps to the connection's I/O thread.
 *
 * <p>A record that fails to open fails the read, and the HTTP/2 server closes the connection. The
 * session's {@link SessionWatch} closes it when idle.
 */
final class NoiseTunnel {
  private static final Logger log = LoggerFactory.getLogger(NoiseTunnel.class);

  private NoiseTunnel() {}

  /**
   * Starts the session: the handshake response (and early payload, if any) go out ahead of
   * everything else, then {@code http2} serves the connection and writes its SETTINGS after them.
   * {@code onClose} runs once when the session ends, however it ends.
   */
  static void start(
      StreamConnection net,
      NoiseSession session,
      byte[] earlyPayload,
      ChannelListener<StreamConnection> http2,
      SessionTimeouts timeouts,
      SessionActivity activity,
      Runnable onClose)
      throws IOException, NoiseException {
    NoiseSourceConduit source =
        new NoiseSourceConduit(
            net.getSourceChannel().getConduit(), new RecordDecoder(session.receive()));
    NoiseSinkConduit sink = new NoiseSinkConduit(net.getSinkChannel().getConduit(), session.send());
    sink.sendFirst(session.response());
    if (earlyPayload != null) {
      sink.sendFirst(
          new RecordEncoder(session.send()).encode(earlyPayload, 0, earlyPayload.length));
    }
    net.getSourceChannel().setConduit(source);
    net.getSinkChannel().setConduit(sink);
    SessionWatch watch =
        new SessionWatch(
            net.getIoThread(),
            timeouts,
            activity,
            () -> Math.max(source.lastTraffic(), sink.lastTraffic()),
            () -> IoUtils.safeClose(net),
            net.getPeerAddress());
    AtomicBoolean ended = new AtomicBoolean();
    net.setCloseListener(
        c -> {
          if (ended.compareAndSet(false, true)) {
            watch.stop();
            onClose.run();
          }
        });
    watch.start();
    http2.handleEvent(net);
    if (!net.getSinkChannel().flush()) {
      net.getSinkChannel().resumeWrites();
    }
    // The HTTP/1.1 layer may already hold bytes that arrived after the upgrade request.
    net.getSourceChannel().wakeupReads();
  }

  /**
   * Sends an unauthenticated handshake error message after the 101, then closes, as Tailscale's
   * server does.
   */
  static void refuse(StreamConnection net, byte[] errorMessage) {
    ByteBuffer pending = ByteBuffer.wrap(errorMessage);
    ConduitStreamSinkChannel sink = net.getSinkChannel();
    sink.setWriteListener(ch -> sendThenClose(net, pending));
    sendThenClose(net, pending);
  }

  private static void sendThenClose(StreamConnection net, ByteBuffer pending) {
    ConduitStreamSinkChannel sink = net.getSinkChannel();
    try {
      sink.write(pending);
      if (pending.hasRemaining() || !sink.flush()) {
        sink.resumeWrites();
        return;
      }
    } catch (IOException e) {
      log.debug("refusing {}: {}", net.getPeerAddress(), e.getMessage());
    }
    IoUtils.safeClose(net);
  }
}
