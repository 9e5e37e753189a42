// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.query.NodeKeyVerdict;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.tailcfg.CapabilityVersion;
import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.ts2021.NoisePeer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /machine/map}. Stream:true opens a long-poll that starts with a complete map;
 * Stream:false with OmitPeers is a "lite update" answered with an empty 200; Stream:false without
 * OmitPeers gets one full map. A stream never ends with an empty 200: an unknown node gets a 404
 * (the client would otherwise retry forever).
 *
 * <p>Who is let in is decided by the node's own events ({@link NodeKeyCheck}), not by the map's
 * copy of the read models: a deleted or re-keyed node gets a 404 even while that copy still shows
 * it, and a node the server cannot place yet, or whose expiry the map has not caught up with, gets
 * a 503 with Retry-After, never a map. So does a node the server has no capacity for at the moment
 * (its database is unreachable or saturated): it asks again, as it would after any failure, but the
 * log does not call that a failure of the server.
 */
public final class MapHandler implements HttpHandler {
  /**
   * Headscale sends keep-alives every 50 s plus jitter; the client gives up after 120 s of silence.
   */
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(50);

  /** What a client is told to wait when its node cannot be checked yet. */
  static final long RETRY_AFTER_SECONDS = 2;

  private static final Logger log = LoggerFactory.getLogger(MapHandler.class);

  private final NetworkMapSource source;
  private final MapStreams streams;
  private final NodeKeyCheck nodes;
  private final Clock clock;
  private final Duration keepAlive;

  public MapHandler(NetworkMapSource source, MapStreams streams, NodeKeyCheck nodes) {
    this(source, streams, nodes, KEEP_ALIVE);
  }

  public MapHandler(
      NetworkMapSource source, MapStreams streams, NodeKeyCheck nodes, Duration keepAlive) {
    this.source = source;
    this.streams = streams;
    this.nodes = nodes;
    this.clock = Clock.systemUTC();
    this.keepAlive = keepAlive;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    JsonBody.read(exchange, MapRequest.class, this::map);
  }

  private void map(HttpServerExchange exchange, MapRequest req) {
    if (req.version() < CapabilityVersion.MINIMUM_SUPPORTED) {
      Responses.text(
          exchange, StatusCodes.BAD_REQUEST, "unsupported client version: " + req.version());
      return;
    }
    if (KeyText.parse(KeyText.NODE_PUBLIC, req.nodeKey())
        .filter(k -> !KeyText.isZero(k))
        .isEmpty()) {
      Responses.text(exchange, StatusCodes.BAD_REQUEST, "NodeKey is not a valid nodekey");
      return;
    }
    if (req.compress() != null && !req.compress().isEmpty() && !"zstd".equals(req.compress())) {
      Responses.text(exchange, StatusCodes.BAD_REQUEST, "unsupported Compress: only zstd");
      return;
    }
    // before anything is stored or shown to peers; Hostinfo.Hostname is sanitised in place
    Optional<BoundViolation> outOfBounds = ClientBounds.map(req);
    if (outOfBounds.isPresent()) {
      Responses.text(exchange, StatusCodes.BAD_REQUEST, outOfBounds.get().message());
      return;
    }
    NoisePeer peer = exchange.getAttachment(NoisePeer.KEY);
    if (!req.stream() && req.omitPeers()) {
      exchange.dispatch(
          exchange.getConnection().getWorker(),
          () ->
              verified(exchange, req)
                  .thenCompose(
                      node ->
                          node.isEmpty()
                              ? CompletableFuture.completedFuture(Boolean.FALSE)
                              : source.liteUpdate(peer.machineKey(), req))
                  .whenComplete(
                      (known, error) -> {
                        String later = error == null ? null : passingReason(error);
                        if (later != null) {
                          Responses.retryLater(exchange, later);
                        } else {
                          acknowledge(exchange, req, known, error);
                        }
                      }));
      return;
    }
    // A stream's session starts with the build of its first message: what changes from then on is
    // handed to the stream, which holds it until that message has gone out.
    MapStream stream = req.stream() ? pendingStream(exchange, req) : null;
    exchange.dispatch(
        exchange.getConnection().getWorker(),
        () ->
            verified(exchange, req)
                .thenCompose(
                    node ->
                        node.isEmpty()
                            ? CompletableFuture.completedFuture(Optional.<MapResponse>empty())
                            : (stream == null
                                    ? source.fullMap(peer.machineKey(), req)
                                    : source.openStream(peer.machineKey(), req, stream))
                                .thenApply(map -> agreed(node.get(), map)))
                .whenComplete(
                    (map, error) -> {
                      boolean opens = error == null && map.isPresent() && stream != null;
                      if (stream != null && !opens) {
                        stream.close();
                      }
                      String later = error == null ? null : passingReason(error);
                      if (later != null) {
                        Responses.retryLater(exchange, later);
                      } else if (opens) {
                        stream.open(map.get(), () -> streams.register(req.nodeKey(), stream));
                      } else {
                        answer(exchange, req, map, error);
                      }
                    }));
  }

  private MapStream pendingStream(HttpServerExchange exchange, MapRequest req) {
    AtomicReference<MapStream> self = new AtomicReference<>();
    // the key alone: an open stream keeps this for its life, the request (Hostinfo, endpoints) it
    // need not (1.5 KB a connected node)
    String nodeKey = req.nodeKey();
    MapStream stream =
        MapStream.pending(
            exchange,
            "zstd".equals(req.compress()),
            keepAlive,
            () -> streams.unregister(nodeKey, self.get()),
            streams.traffic());
    self.set(stream);
    return stream;
  }

  /**
   * The node the request's key authenticates, as its events say; empty if none (deleted, re-keyed,
   * never registered). Fails with {@link Unchecked} when the server cannot tell.
   */
  private CompletableFuture<Optional<NodeView>> verified(
      HttpServerExchange exchange, MapRequest req) {
    return nodes
        .verify(req.nodeKey())
        .thenApply(
            (NodeKeyVerdict verdict) -> {
              if (verdict == null || verdict.undecided()) {
                throw new Unchecked();
              }
              return Optional.ofNullable(verdict.node());
            });
  }

  /**
   * The map as built, unless it shows the node unexpired while its events say it has expired: then
   * the map's copy of the read models is behind, and the client waits for one that is not.
   */
  private Optional<MapResponse> agreed(NodeView node, Optional<MapResponse> map) {
    boolean expired = node.expiry() != null && !node.expiry().isAfter(clock.instant());
    if (expired
        && map.isPresent()
        && map.get().node() != null
        && !Boolean.TRUE.equals(map.get().node().expired())) {
      throw new Unchecked();
    }
    return map;
  }

  /**
   * Why the request may succeed if asked again, or null: the node's state cannot be established
   * yet, or the server (its database) has no capacity right now. Such a client is asked to come
   * back, not told that the server failed.
   */
  private static String passingReason(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof Unchecked) {
        return "the node cannot be checked yet";
      }
      if (t instanceof ServerBusyException) {
        return "server busy";
      }
    }
    return null;
  }

  /** The node's state could not be established from its events in time. */
  private static final class Unchecked extends RuntimeException {
    Unchecked() {
      super("node state cannot be checked yet", null, false, false);
    }
  }

  private void acknowledge(
      HttpServerExchange exchange, MapRequest req, Boolean known, Throwable error) {
    if (error != null) {
      log.warn("recording the update of {} failed: {}", req.nodeKey(), error.toString());
      Responses.text(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "update failed, try again later");
    } else if (!Boolean.TRUE.equals(known)) {
      Responses.text(exchange, StatusCodes.NOT_FOUND, "node not found");
    } else {
      // The client ignores the body of a lite update.
      exchange.setStatusCode(StatusCodes.OK);
      exchange.endExchange();
    }
  }

  private void answer(
      HttpServerExchange exchange, MapRequest req, Optional<MapResponse> map, Throwable error) {
    if (error != null) {
      log.warn("building the map for {} failed", req.nodeKey(), error);
      Responses.text(
          exchange, StatusCodes.INTERNAL_SERVER_ERROR, "map unavailable, try again later");
      return;
    }
    if (map.isEmpty()) {
      Responses.text(exchange, StatusCodes.NOT_FOUND, "node not found");
      return;
    }
    exchange.setStatusCode(StatusCodes.OK);
    java.nio.ByteBuffer frame = MapFrames.encode(map.get(), "zstd".equals(req.compress()));
    streams.traffic().sent(MapTraffic.Kind.FULL, frame.remaining());
    exchange.getResponseSender().send(frame);
  }
}
