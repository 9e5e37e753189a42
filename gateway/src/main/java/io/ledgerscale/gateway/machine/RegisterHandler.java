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
import io.ledgerscale.domain.api.enrollment.EnrollNodeCommand;
import io.ledgerscale.domain.api.enrollment.EnrollmentAnswer;
import io.ledgerscale.domain.api.enrollment.LogOutNodeCommand;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.Owner;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /machine/register}. Turns the request into a domain command ({@link
 * EnrollNodeCommand}, {@link LogOutNodeCommand}) sent through Axon's CommandGateway, with the node
 * as actor and NODE as origin; the domain decides (register, rotate, re-authenticate, answer as is,
 * ask for a login, log out or refuse), this handler only translates its answer into a
 * tailcfg.RegisterResponse. When a login is needed it asks for one within the per-source limits
 * ({@link RegistrationLimits}), which bound what a keyless client may make the server store.
 * Command handling may touch the database, so it runs on a worker thread.
 */
public final class RegisterHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(RegisterHandler.class);

  private final CommandGateway commands;
  private final QueryGateway queries;
  private final ServerUrl serverUrl;
  private final Clock clock;
  private final Duration pollInterval;
  private final RegistrationLimits limits;

  /**
   * What a client is told to wait when its node key cannot be looked up yet (a client's audit log).
   */
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
          () -> complete(exchange, interactive(peer, i.command(), audit)));
    }
  }

  /** A pre-auth key registration (or rotation, or a known node answered as is). */
  private CompletableFuture<RegisterResponse> withPreAuthKey(
      NoisePeer peer, RegisterIntent.WithPreAuthKey p, MetaData audit) {
    return send(p.command(), audit).thenApply(answer -> answerFor((EnrollmentAnswer) answer));
  }

  /**
   * No credential: a tailscaled restart of a known node is answered as is; otherwise the user logs
   * in, through a new registration request.
   */
  private CompletableFuture<RegisterResponse> interactive(
      NoisePeer peer, RequestRegistrationCommand request, MetaData audit) {
    EnrollNodeCommand command =
        new EnrollNodeCommand(
            request.machineKey(),
            request.nodeKey(),
            null,
            request.hostname(),
            request.requestedTags(),
            null,
            request.requestedExpiry());
    return send(command, audit)
        .thenCompose(
            answer ->
                answer instanceof EnrollmentAnswer.LoginRequired
                    ? requestRegistration(peer, request, audit)
                        .thenApply(authId -> RegisterResponse.needsLogin(authUrl((String) authId)))
                    : CompletableFuture.completedFuture(answerFor((EnrollmentAnswer) answer)));
  }

  /**
   * Logout: the node's key expires now (an ephemeral node is deleted instead). An unknown key
   * changes nothing; the client forgets its state whatever the answer.
   */
  private CompletableFuture<RegisterResponse> logout(
      NoisePeer peer, String nodeKey, MetaData audit) {
    return send(new LogOutNodeCommand(peer.machineKey(), nodeKey), audit)
        .thenApply(answer -> answerFor((EnrollmentAnswer) answer));
  }

  /** The domain's answer on the wire. */
  private static RegisterResponse answerFor(EnrollmentAnswer answer) {
    if (answer instanceof EnrollmentAnswer.Enrolled e) {
      return authorized(e.registration());
    }
    if (answer instanceof EnrollmentAnswer.KnownNode n) {
      // NodeKeyExpired makes the client generate a new key and log in with it
      User user = new User(n.userId(), n.userName(), null, null);
      Login login = new Login(n.userId(), "", n.userName(), n.userName(), null);
      return new RegisterResponse(user, login, n.expired(), !n.expired(), "", null, "");
    }
    if (answer instanceof EnrollmentAnswer.LoggedOut o && o.userId() != null) {
      return new RegisterResponse(
          new User(o.userId(), o.userName(), null, null),
          new Login(o.userId(), "", o.userName(), o.userName(), null),
          true,
          false,
          "",
          null,
          "");
    }
    if (answer instanceof EnrollmentAnswer.LoggedOut) {
      return new RegisterResponse(User.NONE, Login.NONE, true, false, "", null, "");
    }
    // LoginRequired is answered by asking for a login (interactive); nothing else is expected
    throw new IllegalStateException("unexpected enrollment answer " + answer);
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
