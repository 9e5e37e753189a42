// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.domain.api.DatabaseUnavailableException;
import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.node.RecordClientAuditCommand;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.limits.TokenBuckets;
import io.ledgerscale.gateway.tailcfg.AuditLogRequest;
import io.ledgerscale.gateway.tailcfg.CapabilityVersion;
import io.ledgerscale.gateway.ts2021.NoisePeer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /machine/audit-log}: a node reports an action of its own (tailcfg.AuditLogRequest).
 * Every bound is checked before a command exists: the body's fields, the node key (a live node of
 * this very machine, as its events say), and a rate per machine, so a node cannot flood the trail.
 * Recorded on the node's stream with the node as actor; answered 200 with an empty body, which is
 * all tailscaled reads.
 */
public final class AuditLogHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(AuditLogHandler.class);

  /** Reports one machine may send: a burst of 5, then one a minute. */
  static final int PER_MINUTE = 1;

  static final int BURST = 5;

  /** A report is a few hundred bytes; anything far larger is not one. */
  static final long MAX_BODY = 16 * 1024;

  private final CommandGateway commands;
  private final NodeKeyCheck nodeKeys;
  private final TokenBuckets rate;

  public AuditLogHandler(CommandGateway commands, NodeKeyCheck nodeKeys) {
    this(commands, nodeKeys, new TokenBuckets(PER_MINUTE, BURST, System::nanoTime));
  }

  AuditLogHandler(CommandGateway commands, NodeKeyCheck nodeKeys, TokenBuckets rate) {
    this.commands = commands;
    this.nodeKeys = nodeKeys;
    this.rate = rate;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    if (exchange.getRequestContentLength() > MAX_BODY) {
      Responses.text(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, "audit log request too large");
      return;
    }
    JsonBody.read(exchange, AuditLogRequest.class, this::record);
  }

  private void record(HttpServerExchange exchange, AuditLogRequest req) {
    NoisePeer peer = exchange.getAttachment(NoisePeer.KEY);
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
    Instant clientTime;
    try {
      clientTime = RegisterIntent.parseExpiry(req.timestamp());
    } catch (DateTimeParseException e) {
      Responses.text(exchange, StatusCodes.BAD_REQUEST, "Timestamp is not an RFC 3339 time");
      return;
    }
    Optional<BoundViolation> bad =
        RecordClientAuditCommand.check(req.action(), req.details(), clientTime);
    if (bad.isPresent()) {
      Responses.text(exchange, StatusCodes.BAD_REQUEST, bad.get().message());
      return;
    }
    Optional<Duration> wait = rate.take(peer.machineKey());
    if (wait.isPresent()) {
      long seconds = Math.max(1, wait.get().toSeconds());
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(seconds));
      Responses.text(
          exchange,
          StatusCodes.TOO_MANY_REQUESTS,
          "too many audit log requests, retry after " + seconds + " s");
      return;
    }
    exchange.dispatch(
        exchange.getConnection().getWorker(),
        () ->
            nodeKeys
                .verify(req.nodeKey())
                .thenCompose(
                    verdict -> {
                      if (verdict == null || verdict.undecided()) {
                        throw new ServerBusyException(
                            "the node table is behind; retry shortly",
                            RegisterHandler.NODE_LOOKUP_RETRY);
                      }
                      NodeView node = verdict.node();
                      if (node == null || !peer.machineKey().equals(node.machineKey())) {
                        throw new CommandRefusedException(
                            io.ledgerscale.domain.api.audit.RefusalKind.CREDENTIAL_REJECTED,
                            "node key not authorized");
                      }
                      return commands.send(
                          GenericCommandMessage.asCommandMessage(
                                  new RecordClientAuditCommand(
                                      node.id(),
                                      req.nodeKey(),
                                      req.action(),
                                      req.details(),
                                      clientTime))
                              .andMetaData(
                                  AuditMetadata.of(
                                      new Actor(
                                          ActorType.NODE,
                                          Long.toString(node.id()),
                                          node.givenName()),
                                      Origin.NODE,
                                      peer.remoteIp(),
                                      null)));
                    })
                .whenComplete((ok, error) -> answer(exchange, peer, error)));
  }

  private static void answer(HttpServerExchange exchange, NoisePeer peer, Throwable error) {
    if (error == null) {
      exchange.setStatusCode(StatusCodes.OK);
      exchange.endExchange();
      return;
    }
    Throwable cause = unwrap(error);
    if (cause instanceof CommandRefusedException refused) {
      Responses.text(exchange, StatusCodes.FORBIDDEN, refused.getMessage());
    } else if (cause instanceof ServerBusyException
        || DatabaseUnavailableException.causing(cause).isPresent()) {
      Responses.retryLater(exchange, "server busy");
    } else {
      log.warn("audit log from {} failed: {}", peer.remoteIp(), cause.toString());
      Responses.text(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "audit log failed, try again");
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
