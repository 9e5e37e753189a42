// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.limits.SourceCounter;
import io.ledgerscale.gateway.noise.NoiseException;
import io.ledgerscale.gateway.noise.NoiseResponder;
import io.ledgerscale.gateway.noise.NoiseSession;
import io.ledgerscale.gateway.noise.RecordDecoder;
import io.ledgerscale.gateway.noise.RecordEncoder;
import io.ledgerscale.gateway.tailcfg.CapabilityVersion;
import io.undertow.server.HttpHandler;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelPipe;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The WebSocket variant of /ts2021 used by browser (WASM) clients: {@code GET
 * /ts2021?X-Tailscale-Handshake=<base64>} with subprotocol {@code tailscale-control-protocol}.
 * Binary messages carry the same byte stream as the plain upgrade (Noise response, records, HTTP/2
 * inside); message boundaries mean nothing. As in Tailscale's server, no early payload is sent on
 * this path.
 */
final class WebSocketTs2021 {
  private static final Logger log = LoggerFactory.getLogger(WebSocketTs2021.class);
  static final String QUERY_PARAMETER = "X-Tailscale-Handshake";
  private static final int CLOSE_POLICY_VIOLATION = 1008;

  private WebSocketTs2021() {}

  static HttpHandler handler(
      NoiseResponder responder, NoiseHttp2Server http2, SessionTimeouts timeouts) {
    WebSocketConnectionCallback onConnect =
        (exchange, channel) -> {
          // Ts2021Handler took a session slot for this connection; whatever happens next, the
          // channel's end gives it back.
          SourceCounter.Permit permit = exchange.getAttachment(Ts2021Handler.SESSION_PERMIT);
          if (permit != null) {
            channel.addCloseTask(c -> permit.release());
          }
          // Browsers cannot see the socket; an abandoned one is closed like an idle plain Noise
          // connection.
          channel.setIdleTimeout(timeouts.silence().toMillis());
          accept(exchange, channel, responder, http2, timeouts);
        };
    // no extensions: Noise records do not compress
    return new WebSocketProtocolHandshakeHandler(
        List.of(new Hybi13Handshake(Set.of(Ts2021Handler.UPGRADE_PROTOCOL), false)), onConnect);
  }

  private static void accept(
      WebSocketHttpExchange exchange,
      WebSocketChannel channel,
      NoiseResponder responder,
      NoiseHttp2Server http2,
      SessionTimeouts timeouts) {
    if (!Ts2021Handler.UPGRADE_PROTOCOL.equals(channel.getSubProtocol())) {
      refuse(channel, "client must speak the control subprotocol");
      return;
    }
    List<String> values = exchange.getRequestParameters().get(QUERY_PARAMETER);
    byte[] initiation;
    try {
      initiation =
          values == null || values.isEmpty() ? null : Base64.getDecoder().decode(values.get(0));
    } catch (IllegalArgumentException e) {
      initiation = null;
    }
    if (initiation == null) {
      refuse(channel, "missing or invalid Tailscale handshake parameter");
      return;
    }
    NoiseSession session;
    try {
      session = responder.respond(initiation);
    } catch (NoiseException e) {
      log.debug(
          "WebSocket Noise handshake from {} refused: {}",
          channel.getSourceAddress(),
          e.getMessage());
      refuse(channel, "noise handshake failed");
      return;
    }
    if (session.protocolVersion() < CapabilityVersion.MINIMUM_SUPPORTED) {
      refuse(
          channel,
          "unsupported client version: "
              + session.protocolVersion()
              + "; the oldest supported is "
              + CapabilityVersion.MINIMUM_SUPPORTED
              + " (Tailscale v1.80)");
      return;
    }
    try {
      new Bridge(channel, session, http2, timeouts).start();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "cannot start the WebSocket Noise tunnel for {}: {}",
          channel.getSourceAddress(),
          e.toString());
      IoUtils.safeClose(channel);
    }
  }

  private static void refuse(WebSocketChannel channel, String reason) {
    log.debug("refusing WebSocket /ts2021: {}", reason);
    WebSockets.sendClose(new CloseMessage(CLOSE_POLICY_VIOLATION, reason), channel, null);
  }

  /**
   * Pumps between the WebSocket (Noise records in binary messages) and the pipe to HTTP/2, on the
   * channel's I/O thread, without blocking: receiving pauses while plaintext waits for HTTP/2, and
   * reading from HTTP/2 pauses while a message is being sent.
   */
  private static final class Bridge {
    private final WebSocketChannel ws;
    private final NoiseSession session;
    private final NoiseHttp2Server http2;
    private final RecordDecoder decoder;
    private final RecordEncoder encoder;
    private final ArrayDeque<ByteBuffer> toInner = new ArrayDeque<>();
    private final SessionActivity activity = new SessionActivity(System.nanoTime());
    private final SessionWatch watch;
    private StreamConnection inner;
    private StreamConnection outer;
    private boolean sending;
    private boolean closed;
    private volatile long lastTraffic = System.nanoTime();

    Bridge(
        WebSocketChannel ws,
        NoiseSession session,
        NoiseHttp2Server http2,
        SessionTimeouts timeouts) {
      this.ws = ws;
      this.session = session;
      this.http2 = http2;
      this.watch =
          new SessionWatch(
              ws.getIoThread(),
              timeouts,
              activity,
              () -> lastTraffic,
              this::close,
              ws.getSourceAddress());
      this.decoder = new RecordDecoder(session.receive());
      this.encoder = new RecordEncoder(session.send());
    }

    void start() throws IOException {
      ChannelPipe<StreamConnection, StreamConnection> pipe =
          ws.getIoThread().createFullDuplexPipeConnection();
      inner = pipe.getRightSide();
      outer = pipe.getLeftSide();
      inner.getSourceChannel().setReadListener(this::onInnerReadable);
      inner.getSinkChannel().setWriteListener(this::onInnerWritable);
      inner.setCloseListener(c -> close());
      ws.addCloseTask(c -> close());
      ws.getReceiveSetter()
          .set(
              new AbstractReceiveListener() {
                @Override
                protected long getMaxBinaryBufferSize() {
                  return 64 * 1024;
                }

                @Override
                protected void onFullBinaryMessage(
                    WebSocketChannel channel, BufferedBinaryMessage message) {
                  onMessage(message);
                }

                @Override
                protected void onFullTextMessage(
                    WebSocketChannel channel, BufferedTextMessage message) {
                  close();
                }

                @Override
                protected void onError(WebSocketChannel channel, Throwable error) {
                  close();
                }
              });
      sending = true;
      WebSockets.sendBinary(ByteBuffer.wrap(session.response()), ws, sent());
      http2.openListener(session, ws.getSourceAddress(), activity).handleEvent(outer);
      watch.start();
      ws.resumeReceives();
    }

    private void onMessage(BufferedBinaryMessage message) {
      lastTraffic = System.nanoTime();
      var pooled = message.getData();
      try {
        for (ByteBuffer b : pooled.getResource()) {
          decoder.feed(
              b,
              plain -> {
                if (plain.length > 0) {
                  toInner.add(ByteBuffer.wrap(plain));
                }
              });
        }
        if (!drainToInner()) {
          ws.suspendReceives();
        }
      } catch (NoiseException | IOException e) {
        log.debug(
            "closing WebSocket Noise connection from {}: {}",
            ws.getSourceAddress(),
            e.getMessage());
        close();
      } finally {
        pooled.free();
      }
    }

    private boolean drainToInner() throws IOException {
      return PendingWrites.drain(toInner, inner.getSinkChannel());
    }

    private void onInnerWritable(ConduitStreamSinkChannel ch) {
      try {
        if (drainToInner()) {
          ch.suspendWrites();
          ws.resumeReceives();
        }
      } catch (IOException e) {
        close();
      }
    }

    private void onInnerReadable(ConduitStreamSourceChannel ch) {
      if (sending || closed) {
        ch.suspendReads();
        return;
      }
      try {
        ByteBuffer innerIn = ScratchBuffers.innerIn();
        int n = ch.read(innerIn);
        if (n == 0) {
          return;
        }
        if (n < 0) {
          close();
          return;
        }
        sending = true;
        lastTraffic = System.nanoTime();
        ch.suspendReads();
        WebSockets.sendBinary(ByteBuffer.wrap(encoder.encode(innerIn.array(), 0, n)), ws, sent());
      } catch (NoiseException | IOException e) {
        close();
      }
    }

    private WebSocketCallback<Void> sent() {
      return new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel channel, Void context) {
          sending = false;
          if (!closed) {
            inner.getSourceChannel().resumeReads();
            inner.getSourceChannel().wakeupReads();
          }
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable error) {
          log.debug(
              "WebSocket send to {} failed: {}", channel.getSourceAddress(), error.toString());
          close();
        }
      };
    }

    private void close() {
      if (closed) {
        return;
      }
      closed = true;
      watch.stop();
      toInner.clear();
      IoUtils.safeClose(inner);
      IoUtils.safeClose(outer);
      IoUtils.safeClose(ws);
    }
  }
}
