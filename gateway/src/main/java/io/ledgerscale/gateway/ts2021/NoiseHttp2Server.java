// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.noise.NoiseSession;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http2.Http2OpenListener;
import java.net.SocketAddress;
import org.xnio.ChannelListener;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;

/**
 * Undertow's own HTTP/2 server for the plaintext inside each Noise connection. The Tailscale client
 * speaks HTTP/2 with prior knowledge, multiplexing the map long-poll, lite updates and register
 * calls on this one connection.
 */
public final class NoiseHttp2Server {
  private final ByteBufferPool buffers;
  private final HttpHandler router;
  private final OptionMap options;

  public NoiseHttp2Server(ByteBufferPool buffers, HttpHandler router) {
    this.buffers = buffers;
    this.router = router;
    this.options =
        OptionMap.builder()
            .set(UndertowOptions.ENABLE_HTTP2, true)
            .set(UndertowOptions.MAX_ENTITY_SIZE, NoisePeer.MAX_REQUEST_BODY)
            .set(UndertowOptions.HTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 250)
            .getMap();
  }

  /**
   * A listener that serves one Noise connection, tagging each of its requests with the
   * authenticated peer and counting them in {@code activity} while they are open.
   */
  ChannelListener<StreamConnection> openListener(
      NoiseSession session, SocketAddress remote, SessionActivity activity) {
    NoisePeer peer =
        new NoisePeer(
            KeyText.format(KeyText.MACHINE_PUBLIC, session.peerMachineKey()),
            session.protocolVersion(),
            remote);
    Http2OpenListener listener = new Http2OpenListener(buffers, options);
    listener.setRootHandler(
        exchange -> {
          exchange.putAttachment(NoisePeer.KEY, peer);
          activity.requestStarted();
          exchange.addExchangeCompleteListener(
              (ex, next) -> {
                activity.requestEnded(System.nanoTime());
                next.proceed();
              });
          router.handleRequest(exchange);
        });
    return listener;
  }
}
