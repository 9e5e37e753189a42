// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.domain.api.DatabaseUnavailableException;
import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.DeleteNodeCommand;
import io.ledgerscale.domain.api.node.ExpireNodeCommand;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.Owner;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.RotateNodeKeyCommand;
import io.ledgerscale.domain.api.query.NodeKeyVerdict;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.VerifyNodeKeyQuery;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.gateway.tailcfg.Login;
import io.ledgerscale.gateway.tailcfg.RegisterRequest;
import io.ledgerscale.gateway.tailcfg.RegisterResponse;
import io.ledgerscale.gateway.tailcfg.User;
import io.ledgerscale.gateway.ts2021.NoisePeer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.StatusCodes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /machine/register}. Turns the request into domain commands sent through Axon's
 * CommandGateway, with the node as actor and NODE as origin; the domain decides, this handler only
 * translates its answer into a tailcfg.RegisterResponse. Command handling may touch the database,
 * so it runs on a worker thread.
 */
public final class RegisterHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(RegisterHandler.class);

  private final CommandGateway commands;
  private final QueryGateway queries;
  private final ServerUrl serverUrl;
  private final Clock clock;
  private final Duration pollInterval;
  private final RegistrationLimits limits;

  /** What a client is told to wait when its node key cannot be looked up yet. */
  static final Duration NODE_LOOKUP_RETRY = Duration.ofSeconds(2);

  /**
   * The request being answered, for the parts of the answer that depend on the client (its
   * capability version).
   */
  private static final AttachmentKey<RegisterRequest> REQUEST =
      AttachmentKey.create(RegisterRequest.class);

  public RegisterHandler(
      CommandGateway commands, QueryGateway queries, ServerUrl serverUrl, Clock clock) {
    this(
        commands,
        queries,
        serverUrl,
        clock,
        new RegistrationLimits(io.ledgerscale.gateway.limits.ResourceLimits.defaults()));
  }

  public RegisterHandler(
      CommandGateway commands,
      QueryGateway queries,
      ServerUrl serverUrl,
      Clock clock,
      RegistrationLimits limits) {
    this(commands, queries, serverUrl, clock, FollowupWait.POLL_INTERVAL, limits);
  }

  RegisterHandler(
      CommandGateway commands,
      QueryGateway queries,
      ServerUrl serverUrl,
      Clock clock,
      Duration pollInterval) {
    this(
        commands,
        queries,
        serverUrl,
        clock,
        pollInterval,
        new RegistrationLimits(io.ledgerscale.gateway.limits.ResourceLimits.defaults()));
  }

  RegisterHandler(
      CommandGateway commands,
      QueryGateway queries,
      ServerUrl serverUrl,
      Clock clock,
      Duration pollInterval,
      RegistrationLimits limits) {
    this.limits = limits;
    this.commands = commands;
    this.queries = queries;
    this.serverUrl = serverUrl;
    this.clock = clock;
    this.pollInterval = pollInterval;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    JsonBody.read(exchange, RegisterRequest.class, this::register);
  }

  private void register(HttpServerExchange exchange, RegisterRequest req) {
    exchange.putAttachment(REQUEST, req);
    NoisePeer peer = exchange.getAttachment(NoisePeer.KEY);
    RegisterIntent intent = RegisterIntent.of(peer.machineKey(), req, clock);
    // the audit names the node by its sanitised hostname, never by what it sent
    String hostname = ClientBounds.hostname(req);
    MetaData audit =
        AuditMetadata.of(
            new Actor(ActorType.NODE, peer.machineKey(), hostname),
            Origin.NODE,
            peer.remoteIp(),
            null);
    if (intent instanceof RegisterIntent.Malformed m) {
      Responses.text(exchange, StatusCodes.BAD_REQUEST, m.reason());
    } else if (intent instanceof RegisterIntent.Logout l) {
      exchange.dispatch(
          exchange.getConnection().getWorker(),
          () -> complete(exchange, logout(peer, l.nodeKey(), audit)));
    } else if (intent instanceof RegisterIntent.Followup f) {
      String authId = authIdOf(f.authUrl());
      if (authId == null) {
        Responses.text(
            exchange, StatusCodes.BAD_REQUEST, "Followup is not an AuthURL of this server");
        return;
      }
      FollowupWait wait =
          new FollowupWait(
              exchange,
              queries,
              authId,
              peer.machineKey(),
              req.nodeKey(),
              clock,
              pollInterval,
              view -> authorizedFor(Owner.ofEvent(view.userId())),
              () ->
                  requestRegistration(peer, f.restart(), audit)
                      .thenApply(id -> RegisterResponse.needsLogin(authUrl((String) id))),
              this::complete);
      exchange.dispatch(exchange.getConnection().getWorker(), wait::poll);
    } else if (intent instanceof RegisterIntent.WithPreAuthKey p) {
      exchange.dispatch(
          exchange.getConnection().getWorker(),
          () -> complete(exchange, withPreAuthKey(peer, p, audit)));
    } else if (intent instanceof RegisterIntent.Interactive i) {
      exchange.dispatch(
          exchange.getConnection().getWorker(),
          () ->
              complete(
                  exchange,
                  knownNode(peer, req.nodeKey())
                      .thenCompose(
                          known ->
                              known.isPresent()
                                  ? CompletableFuture.completedFuture(known.get())
                                  : requestRegistration(peer, i.command(), audit)
                                      .thenApply(
                                          authId ->
                                              RegisterResponse.needsLogin(
                                                  authUrl((String) authId))))));
    }
  }

  /**
   * A pre-auth key registration. With an OldNodeKey it may be a rotation (tailscaled made a new
   * node key because its user logged in again or its key expired): when NodeKey is new and
   * OldNodeKey is a node's current key, that node moves to the new key. When NodeKey is a node's
   * expired key, the client is told so, and comes back with a new key and this one as OldNodeKey.
   * Without an OldNodeKey (a first login) the node table is not read at all.
   */
  private CompletableFuture<RegisterResponse> withPreAuthKey(
      NoisePeer peer, RegisterIntent.WithPreAuthKey p, MetaData audit) {
    RegisterNodeWithPreAuthKeyCommand command = p.command();
    if (p.oldNodeKey() == null) {
      return send(command, audit).thenApply(r -> authorized((NodeRegistration) r));
    }
    return byNodeKey(command.nodeKey(), false)
        .thenCompose(
            current -> {
              if (current.isPresent()) {
                NodeView n = current.get();
                if (!peer.machineKey().equals(n.machineKey())) {
                  throw new CommandRefusedException(
                      RefusalKind.CREDENTIAL_REJECTED, "node key belongs to another machine");
                }
                if (expired(n)) {
                  return CompletableFuture.completedFuture(answerFor(n));
                }
                return send(command, audit).thenApply(r -> authorized((NodeRegistration) r));
              }
              // whose machine the old key is stays for the domain to check: it records a refusal
              return byNodeKey(p.oldNodeKey(), false)
                  .thenCompose(
                      old -> {
                        Object next =
                            old.isPresent()
                                ? new RotateNodeKeyCommand(
                                    peer.machineKey(),
                                    p.oldNodeKey(),
                                    command.nodeKey(),
                                    command.preAuthKey(),
                                    command.requestedExpiry())
                                : command;
                        return send(next, audit).thenApply(r -> authorized((NodeRegistration) r));
                      });
            });
  }

  /**
   * Logout: the node's key expires now (an ephemeral node is deleted instead). An unknown key
   * changes nothing; the client forgets its state whatever the answer.
   */
  private CompletableFuture<RegisterResponse> logout(
      NoisePeer peer, String nodeKey, MetaData audit) {
    // a logout the server wrongly took for an unknown node would leave the node logged in
    return byNodeKey(nodeKey, true)
        .thenCompose(
            node -> {
              if (node.isEmpty()) {
                return CompletableFuture.completedFuture(
                    new RegisterResponse(User.NONE, Login.NONE, true, false, "", null, ""));
              }
              NodeView n = node.get();
              if (!peer.machineKey().equals(n.machineKey())) {
                throw new CommandRefusedException(
                    RefusalKind.CREDENTIAL_REJECTED, "node key belongs to another machine");
              }
              Object command =
                  n.ephemeral()
                      ? new DeleteNodeCommand(n.id())
                      : new ExpireNodeCommand(n.id(), null, false);
              return send(command, audit)
                  .thenApply(
                      r ->
                          new RegisterResponse(
                              new User(n.userId(), n.userName(), null, null),
                              new Login(n.userId(), "", n.userName(), n.userName(), null),
                              true,
                              false,
                              "",
                              null,
                              ""));
            });
  }

  /**
   * A tailscaled restart registers again without credentials; a node we know by key and machine is
   * answered as is.
   */
  private CompletableFuture<Optional<RegisterResponse>> knownNode(NoisePeer peer, String nodeKey) {
    return byNodeKey(nodeKey, false)
        .thenApply(
            node ->
                node.map(
                    n -> {
                      if (!peer.machineKey().equals(n.machineKey())) {
                        throw new CommandRefusedException(
                            RefusalKind.CREDENTIAL_REJECTED, "node key belongs to another machine");
                      }
                      return answerFor(n);
                    }));
  }

  /**
   * A known node's state as is: NodeKeyExpired makes the client generate a new key and log in with
   * it.
   */
  private RegisterResponse answerFor(NodeView n) {
    boolean expired = expired(n);
    User user = new User(n.userId(), n.userName(), null, null);
    Login login = new Login(n.userId(), "", n.userName(), n.userName(), null);
    return new RegisterResponse(user, login, expired, !expired, "", null, "");
  }

  private boolean expired(NodeView n) {
    return n.expiry() != null && !n.expiry().isAfter(clock.instant());
  }

  /**
   * The live node holding {@code nodeKey} now, by an indexed lookup checked against the node's own
   * events (a register call must not read the whole tailnet, nor let in a node that a lagging read
   * model still shows). When the server cannot tell, the client is told to retry, as when busy.
   * Every caller still checks that the node's machine key is the caller's.
   *
   * <p>{@code unknownNeedsProof} false where "unknown" is the stricter answer (the client must then
   * authenticate afresh, and the domain checks the machine key), so a read model trailing a burst
   * of registrations does not hold those up; true where "unknown" would skip something (a logout).
   */
  private CompletableFuture<Optional<NodeView>> byNodeKey(
      String nodeKey, boolean unknownNeedsProof) {
    return queries
        .query(
            new VerifyNodeKeyQuery(nodeKey, unknownNeedsProof),
            ResponseTypes.instanceOf(NodeKeyVerdict.class))
        .thenApply(
            verdict -> {
              if (verdict == null || verdict.undecided()) {
                throw new ServerBusyException(
                    "the node table is behind; retry shortly", NODE_LOOKUP_RETRY);
              }
              return Optional.ofNullable(verdict.node());
            });
  }

  /**
   * A new keyless registration request, within the per-source rate and the caps on waiting
   * requests; a refusal is a ServerBusyException (429/503 with Retry-After) and sends no command,
   * so a retry loop stores nothing.
   */
  private CompletableFuture<Object> requestRegistration(
      NoisePeer peer, RequestRegistrationCommand command, MetaData audit) {
    RegistrationLimits.Slot slot;
    try {
      slot = limits.admit(peer.remoteIp());
    } catch (ServerBusyException refused) {
      log.debug("registration from {} refused: {}", peer.remoteIp(), refused.getMessage());
      return CompletableFuture.failedFuture(refused);
    }
    return send(command, audit)
        .whenComplete(
            (authId, error) -> {
              if (error != null) {
                slot.release();
              }
            });
  }

  private CompletableFuture<Object> send(Object command, MetaData audit) {
    try {
      return commands.send(GenericCommandMessage.asCommandMessage(command).andMetaData(audit));
    } catch (RuntimeException e) {
      // a bus may refuse at dispatch (ServerBusyException when at capacity): answered like a failed
      // command
      return CompletableFuture.failedFuture(e);
    }
  }

  String authUrl(String authId) {
    return serverUrl.registerUrl(authId);
  }

  /** The auth id in one of our AuthURLs, or null if {@code url} is not one. */
  String authIdOf(String url) {
    String id = serverUrl.authIdIn(url);
    return id != null && id.matches("[A-Za-z0-9_-]{1,128}") ? id : null;
  }

  static RegisterResponse authorized(NodeRegistration r) {
    return authorizedFor(r.owner());
  }

  static RegisterResponse authorizedFor(Owner owner) {
    long id = owner.shownId();
    String name = owner.shownName("");
    return RegisterResponse.authorized(
        new User(id, name, null, null), new Login(id, "", name, name, null));
  }

  private void complete(HttpServerExchange exchange, CompletableFuture<RegisterResponse> result) {
    RegisterRequest req = exchange.getAttachment(REQUEST);
    complete(exchange, result, req == null ? 0 : req.version());
  }

  private void complete(
      HttpServerExchange exchange,
      CompletableFuture<RegisterResponse> result,
      int capabilityVersion) {
    result.whenComplete(
        (response, error) -> {
          if (error == null) {
            Responses.json(exchange, StatusCodes.OK, response);
            return;
          }
          Throwable cause = unwrap(error);
          if (cause instanceof CommandRefusedException refused) {
            // The client shows Error to its user and stops, instead of retrying a request that
            // cannot succeed.
            Responses.json(exchange, StatusCodes.OK, RegisterResponse.error(refused.getMessage()));
          } else if (cause instanceof ServerBusyException busy) {
            Responses.busy(exchange, capabilityVersion, busy);
          } else if (DatabaseUnavailableException.causing(cause).isPresent()) {
            Responses.busy(
                exchange, capabilityVersion, DatabaseUnavailableException.causing(cause).get());
          } else {
            log.warn(
                "registration from {} failed: {}",
                exchange.getAttachment(NoisePeer.KEY).remoteIp(),
                cause.toString());
            log.debug("registration failure", cause);
            Responses.text(
                exchange,
                StatusCodes.INTERNAL_SERVER_ERROR,
                "registration failed, try again later");
          }
        });
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
