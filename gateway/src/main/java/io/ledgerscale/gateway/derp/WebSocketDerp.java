// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import org.xnio.ChannelPipe;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The WebSocket variant of {@code /derp} (browser clients; {@code Upgrade: websocket} with
 * subprotocol {@code derp}): binary messages carry the same byte stream as the plain upgrade, and
 * their boundaries mean nothing. An in-process XNIO pipe joins the WebSocket to an ordinary {@link
 * DerpConnection}, so the protocol lives in one place. Both directions pump on the channel's I/O
 * thread with backpressure: receiving pauses while bytes wait for the pipe, reading the pipe pauses
 * while a message is being sent.
 */
final class WebSocketDerp {
  static final String SUBPROTOCOL = "derp";
  private static final int CLOSE_POLICY_VIOLATION = 1008;
  private static final int MAX_MESSAGE =
      FrameType.HEADER + 2 * FrameType.KEY + FrameType.MAX_PACKET;

  private WebSocketDerp() {}

  static HttpHandler handler(DerpRelay relay) {
    WebSocketConnectionCallback onConnect =
        (exchange, channel) -> {
          if (!SUBPROTOCOL.equals(channel.getSubProtocol())) {
            WebSockets.sendClose(
                new CloseMessage(CLOSE_POLICY_VIOLATION, "client must speak the derp subprotocol"),
                channel,
                null);
            return;
          }
          try {
            new Bridge(channel).start(relay);
          } catch (IOException | RuntimeException e) {
            IoUtils.safeClose(channel);
          }
        };
    // no extensions: relayed packets are WireGuard ciphertext, which does not compress
    return new WebSocketProtocolHandshakeHandler(
        List.of(new Hybi13Handshake(Set.of(SUBPROTOCOL), false)), onConnect);
  }

  private static final class Bridge {
    private final WebSocketChannel ws;
    private final ArrayDeque<ByteBuffer> toPipe = new ArrayDeque<>();
    private final ByteBuffer fromPipe = ByteBuffer.allocate(16 * 1024);
    private StreamConnection inner;
    private StreamConnection outer;
    private boolean sending;
    private boolean closed;

    Bridge(WebSocketChannel ws) {
      this.ws = ws;
    }

    void start(DerpRelay relay) throws IOException {
      ChannelPipe<StreamConnection, StreamConnection> pipe =
          ws.getIoThread().createFullDuplexPipeConnection();
      inner = pipe.getLeftSide();
      outer = pipe.getRightSide();
      inner.getSourceChannel().setReadListener(this::onPipeReadable);
      inner.getSinkChannel().setWriteListener(this::onPipeWritable);
      inner.setCloseListener(c -> close());
      ws.addCloseTask(c -> close());
      ws.getReceiveSetter()
          .set(
              new AbstractReceiveListener() {
                @Override
                protected long getMaxBinaryBufferSize() {
                  return MAX_MESSAGE;
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
      relay.accept(outer);
      inner.getSourceChannel().resumeReads();
      ws.resumeReceives();
    }

    private void onMessage(BufferedBinaryMessage message) {
      var pooled = message.getData();
      try {
        for (ByteBuffer b : pooled.getResource()) {
          ByteBuffer copy = ByteBuffer.allocate(b.remaining());
          copy.put(b).flip();
          toPipe.add(copy);
        }
      } finally {
        pooled.free();
      }
      try {
        if (!drain()) {
          ws.suspendReceives();
        }
      } catch (IOException e) {
        close();
      }
    }

    private boolean drain() throws IOException {
      ConduitStreamSinkChannel sink = inner.getSinkChannel();
      while (!toPipe.isEmpty()) {
        ByteBuffer b = toPipe.peek();
        sink.write(b);
        if (b.hasRemaining()) {
          sink.resumeWrites();
          return false;
        }
        toPipe.poll();
      }
      if (!sink.flush()) {
        sink.resumeWrites();
        return false;
      }
      return true;
    }

    private void onPipeWritable(ConduitStreamSinkChannel ch) {
      try {
        if (drain()) {
          ch.suspendWrites();
          ws.resumeReceives();
        }
      } catch (IOException e) {
        close();
      }
    }

    private void onPipeReadable(ConduitStreamSourceChannel ch) {
      if (sending || closed) {
        ch.suspendReads();
        return;
      }
      try {
        fromPipe.clear();
        int n = ch.read(fromPipe);
        if (n < 0) {
          close();
          return;
        }
        if (n == 0) {
          return;
        }
        fromPipe.flip();
        ByteBuffer message = ByteBuffer.allocate(n);
        message.put(fromPipe).flip();
        sending = true;
        ch.suspendReads();
        WebSockets.sendBinary(
            message,
            ws,
            new WebSocketCallback<Void>() {
              @Override
              public void complete(WebSocketChannel channel, Void context) {
                sending = false;
                inner.getSourceChannel().resumeReads();
                inner.getSourceChannel().wakeupReads();
              }

              @Override
              public void onError(WebSocketChannel channel, Void context, Throwable error) {
                close();
              }
            });
      } catch (IOException e) {
        close();
      }
    }

    private void close() {
      if (closed) {
        return;
      }
      closed = true;
      toPipe.clear();
      IoUtils.safeClose(inner);
      IoUtils.safeClose(outer);
      IoUtils.safeClose(ws);
    }
  }
}
