// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.noise.NoiseException;
import io.ledgerscale.gateway.noise.NoiseSession;
import io.ledgerscale.gateway.noise.RecordDecoder;
import io.ledgerscale.gateway.noise.RecordEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelPipe;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * Joins an upgraded TCP connection ({@code net}, carrying Noise records) to the inner end of an
 * in-process XNIO pipe whose other end is served by Undertow's HTTP/2 server (carrying plaintext).
 * Both directions are pumped by non-blocking read/write listeners; net and pipe live on the same
 * XNIO I/O thread, so no state here is shared between threads and no thread is held per connection.
 *
 * <p>Backpressure: while decrypted bytes wait for the HTTP/2 side, reading from the network stops;
 * while records wait for the network, reading from the HTTP/2 side stops. Any protocol violation
 * closes both ends.
 */
final class NoiseTunnel {
  private static final Logger log = LoggerFactory.getLogger(NoiseTunnel.class);
  // Bounds one listener call so a busy connection cannot starve the others on its I/O thread.
  private static final int MAX_READS_PER_EVENT = 16;

  private final StreamConnection net;
  private final StreamConnection inner;
  // the HTTP/2 server's end of the pipe: closed here too, so no fd waits for it to notice EOF
  private StreamConnection outer;
  private SessionWatch watch;
  private Runnable onClose;
  private final RecordDecoder decoder;
  private final RecordEncoder encoder;
  private final ArrayDeque<ByteBuffer> toInner = new ArrayDeque<>();
  private final ArrayDeque<ByteBuffer> toNet = new ArrayDeque<>();
  private boolean closeWhenFlushed;
  private boolean closed;
  private long lastTraffic = System.nanoTime();

  private NoiseTunnel(
      StreamConnection net, StreamConnection inner, RecordDecoder decoder, RecordEncoder encoder) {
    this.net = net;
    this.inner = inner;
    this.decoder = decoder;
    this.encoder = encoder;
  }

  /**
   * Starts the tunnel: queues the handshake response (and early payload, if any) ahead of
   * everything else, then hands the pipe's outer end to {@code http2}, which will write its
   * SETTINGS after them. {@code onClose} runs once when the session ends, however it ends.
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
    ChannelPipe<StreamConnection, StreamConnection> pipe =
        net.getIoThread().createFullDuplexPipeConnection();
    NoiseTunnel t =
        new NoiseTunnel(
            net,
            pipe.getRightSide(),
            new RecordDecoder(session.receive()),
            new RecordEncoder(session.send()));
    t.outer = pipe.getLeftSide();
    t.onClose = onClose;
    t.watch =
        new SessionWatch(
            net.getIoThread(),
            timeouts,
            activity,
            () -> t.lastTraffic,
            t::close,
            net.getPeerAddress());
    t.toNet.add(ByteBuffer.wrap(session.response()));
    if (earlyPayload != null) {
      t.toNet.add(ByteBuffer.wrap(t.encoder.encode(earlyPayload, 0, earlyPayload.length)));
    }
    t.wire();
    t.watch.start();
    http2.handleEvent(pipe.getLeftSide());
    t.onNetWritable(net.getSinkChannel());
    t.net.getSourceChannel().resumeReads();
    // The HTTP/1.1 layer may already hold bytes that arrived after the upgrade request.
    t.net.getSourceChannel().wakeupReads();
  }

  /**
   * Sends an unauthenticated handshake error message after the 101, then closes, as Tailscale's
   * server does.
   */
  static void refuse(StreamConnection net, byte[] errorMessage) {
    NoiseTunnel t = new NoiseTunnel(net, null, null, null);
    t.toNet.add(ByteBuffer.wrap(errorMessage));
    t.closeWhenFlushed = true;
    net.getSinkChannel().setWriteListener(t::onNetWritable);
    net.setCloseListener(c -> t.close());
    t.onNetWritable(net.getSinkChannel());
  }

  private void wire() {
    net.getSourceChannel().setReadListener(this::onNetReadable);
    net.getSinkChannel().setWriteListener(this::onNetWritable);
    inner.getSourceChannel().setReadListener(this::onInnerReadable);
    inner.getSinkChannel().setWriteListener(this::onInnerWritable);
    net.setCloseListener(c -> close());
    inner.setCloseListener(c -> close());
    inner.getSourceChannel().resumeReads();
  }

  // network -> decrypt -> HTTP/2

  private void onNetReadable(ConduitStreamSourceChannel ch) {
    try {
      for (int i = 0; i < MAX_READS_PER_EVENT && !closed; i++) {
        if (!toInner.isEmpty()) {
          ch.suspendReads();
          return;
        }
        ByteBuffer netIn = ScratchBuffers.netIn();
        int n = ch.read(netIn);
        if (n == 0) {
          return;
        }
        if (n < 0) {
          // The client went away; a cut-short record is simply dropped with the connection.
          close();
          return;
        }
        lastTraffic = System.nanoTime();
        netIn.flip();
        decoder.feed(
            netIn,
            plain -> {
              if (plain.length > 0) {
                toInner.add(ByteBuffer.wrap(plain));
              }
            });
        if (!drainToInner()) {
          ch.suspendReads();
          return;
        }
      }
      if (!closed) {
        // more may be waiting; come back after other connections had their turn
        ch.wakeupReads();
      }
    } catch (NoiseException e) {
      log.debug("closing Noise connection from {}: {}", net.getPeerAddress(), e.getMessage());
      close();
    } catch (IOException e) {
      log.debug("Noise connection from {} failed: {}", net.getPeerAddress(), e.getMessage());
      close();
    }
  }

  private boolean drainToInner() throws IOException {
    return PendingWrites.drain(toInner, inner.getSinkChannel());
  }

  private void onInnerWritable(ConduitStreamSinkChannel ch) {
    try {
      if (drainToInner()) {
        ch.suspendWrites();
        net.getSourceChannel().resumeReads();
        net.getSourceChannel().wakeupReads();
      }
    } catch (IOException e) {
      close();
    }
  }

  // HTTP/2 -> encrypt -> network

  private void onInnerReadable(ConduitStreamSourceChannel ch) {
    try {
      for (int i = 0; i < MAX_READS_PER_EVENT && !closed; i++) {
        if (!toNet.isEmpty()) {
          ch.suspendReads();
          return;
        }
        ByteBuffer innerIn = ScratchBuffers.innerIn();
        int n = ch.read(innerIn);
        if (n == 0) {
          return;
        }
        if (n < 0) {
          // HTTP/2 closed the connection (GOAWAY sent): deliver what is queued, then close.
          ch.suspendReads();
          closeWhenFlushed = true;
          onNetWritable(net.getSinkChannel());
          return;
        }
        lastTraffic = System.nanoTime();
        toNet.add(ByteBuffer.wrap(encoder.encode(innerIn.array(), 0, n)));
        if (!flushToNet()) {
          ch.suspendReads();
          return;
        }
      }
      if (!closed) {
        ch.wakeupReads();
      }
    } catch (NoiseException | IOException e) {
      log.debug("Noise connection to {} failed: {}", net.getPeerAddress(), e.getMessage());
      close();
    }
  }

  private boolean flushToNet() throws IOException {
    ConduitStreamSinkChannel sink = net.getSinkChannel();
    while (!toNet.isEmpty()) {
      ByteBuffer b = toNet.peek();
      sink.write(b);
      if (b.hasRemaining()) {
        sink.resumeWrites();
        return false;
      }
      toNet.poll();
    }
    if (!sink.flush()) {
      sink.resumeWrites();
      return false;
    }
    return true;
  }

  private void onNetWritable(ConduitStreamSinkChannel ch) {
    try {
      if (flushToNet()) {
        ch.suspendWrites();
        if (closeWhenFlushed) {
          close();
        } else if (inner != null) {
          inner.getSourceChannel().resumeReads();
          inner.getSourceChannel().wakeupReads();
        }
      }
    } catch (IOException e) {
      close();
    }
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (watch != null) {
      watch.stop();
    }
    toInner.clear();
    toNet.clear();
    IoUtils.safeClose(net);
    if (inner != null) {
      IoUtils.safeClose(inner);
    }
    if (outer != null) {
      IoUtils.safeClose(outer);
    }
    if (onClose != null) {
      onClose.run();
    }
  }
}
