// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.query.FindLastSshAuthenticationQuery;
import io.ledgerscale.domain.api.query.FindSshCheckQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.SshCheckView;
import io.ledgerscale.domain.api.sshcheck.RequestSshCheckCommand;
import io.ledgerscale.gateway.map.SshActionUrl;
import io.ledgerscale.gateway.map.SshPolicies;
import io.ledgerscale.gateway.tailcfg.SSHAction;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import io.ledgerscale.gateway.ts2021.NoisePeer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /machine/ssh/action/from/<src>/to/<dst>?ssh_user=&local_user=[&check=<id>]}: the
 * holdAndDelegate URL of an SSH rule in check mode, fetched over Noise by the <em>destination</em>
 * node while it holds the SSH client.
 *
 * <p>Only the destination may ask (its Noise machine key must be the node's). The answer follows
 * the policy in force now: no rule any more is a reject, an accept rule an accept. For a check rule
 * the source must belong to a user, and that user must have passed an SSH check within the rule's
 * check period (the hold action's sessionDuration; "always" is zero, so every connection is
 * checked). Otherwise a check is opened ({@code RequestSshCheckCommand}, the destination node as
 * actor) and the client is told how to pass it, with a holdAndDelegate naming the check; fetching
 * that waits (long poll, no thread held) until the check is approved, rejected or times out,
 * answering a fresh hold now and then so the client keeps asking.
 */
public final class SshActionHandler implements HttpHandler {
  public static final String PREFIX = SshActionUrl.PREFIX;
  private static final Logger log = LoggerFactory.getLogger(SshActionHandler.class);
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /** How long one fetch is held before it is answered with the same hold again. */
  static final Duration HOLD = Duration.ofSeconds(50);

  /** How long a check id we just handed out may be missing from the read model. */
  static final Duration READ_MODEL_GRACE = Duration.ofSeconds(15);

  private final CommandGateway commands;
  private final QueryGateway queries;
  private final SshPolicies policies;
  private final ServerUrl serverUrl;
  private final SshActionUrl urls;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration hold;

  public SshActionHandler(
      CommandGateway commands,
      QueryGateway queries,
      SshPolicies policies,
      ServerUrl serverUrl,
      Clock clock) {
    this(commands, queries, policies, serverUrl, clock, POLL_INTERVAL, HOLD);
  }

  SshActionHandler(
      CommandGateway commands,
      QueryGateway queries,
      SshPolicies policies,
      ServerUrl serverUrl,
      Clock clock,
      Duration pollInterval,
      Duration hold) {
    this.commands = commands;
    this.queries = queries;
    this.policies = policies;
    this.serverUrl = serverUrl;
    this.urls = new SshActionUrl(serverUrl);
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.hold = hold;
  }

  /** One fetch: who asks, about which connection. */
  private record Ask(NoisePeer peer, SshActionUrl.Request request) {
    long src() {
      return request.src();
    }

    long dst() {
      return request.dst();
    }

    String sshUser() {
      return request.sshUser();
    }

    String localUser() {
      return request.localUser();
    }

    String checkId() {
      return request.checkId();
    }
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    Optional<SshActionUrl.Request> request =
        SshActionUrl.parse(exchange.getRelativePath(), name -> param(exchange, name));
    if (request.isEmpty()) {
      text(
          exchange,
          StatusCodes.BAD_REQUEST,
          "expected /machine/ssh/action/from/<src>/to/<dst>?ssh_user=&local_user=");
      return;
    }
    Ask ask = new Ask(exchange.getAttachment(NoisePeer.KEY), request.get());
    exchange.dispatch(
        exchange.getConnection().getWorker(), () -> decide(exchange, ask, clock.instant()));
  }

  private void decide(HttpServerExchange exchange, Ask ask, Instant started) {
    if (exchange.isComplete() || !exchange.getConnection().isOpen()) {
      return; // the SSH client gave up
    }
    policies
        .forNode(ask.dst())
        .whenComplete(
            (snapshot, error) -> {
              if (error != null) {
                fail(exchange, error);
                return;
              }
              NodeView dst = snapshot.nodes().get(ask.dst());
              if (dst == null) {
                text(exchange, StatusCodes.NOT_FOUND, "no node " + ask.dst());
                return;
              }
              if (!ask.peer().machineKey().equals(dst.machineKey())) {
                // only the node holding the SSH client may learn how its check went
                log.info(
                    "SSH action for node {} asked by machine {}, which is not that node",
                    ask.dst(),
                    ask.peer().machineKey());
                text(exchange, StatusCodes.FORBIDDEN, "this machine is not node " + ask.dst());
                return;
              }
              NodeView src = snapshot.nodes().get(ask.src());
              Optional<JsonNode> action =
                  src == null || snapshot.sshPolicy().isEmpty()
                      ? Optional.empty()
                      : SshRuleMatch.action(
                          snapshot.sshPolicy().get(),
                          src.ipAddresses(),
                          Long.toString(src.id()),
                          null,
                          ask.sshUser(),
                          ask.localUser(),
                          clock.instant());
              if (action.isEmpty()) {
                answer(
                    exchange,
                    SSHAction.rejected(
                        "tailnet policy does not permit you to SSH to this node as "
                            + ask.localUser()
                            + "\n"));
              } else if (action.get().path("accept").asBoolean(false)) {
                answer(exchange, accepted(action.get(), null));
              } else if (action.get().path("holdAndDelegate").asText("").isEmpty()) {
                answer(
                    exchange,
                    SSHAction.rejected(
                        action.get().path("message").asText("access denied") + "\n"));
              } else if (src.owner().isTagged()) {
                answer(
                    exchange,
                    SSHAction.rejected(
                        "an SSH check needs a device owned by a user; "
                            + src.givenName()
                            + " is tagged\n"));
              } else {
                check(exchange, ask, src, action.get(), started);
              }
            });
  }

  private void check(
      HttpServerExchange exchange, Ask ask, NodeView src, JsonNode rule, Instant started) {
    Duration period = Duration.ofNanos(rule.path("sessionDuration").asLong(0));
    if (ask.checkId() != null) {
      queries
          .query(new FindSshCheckQuery(ask.checkId()), ResponseTypes.instanceOf(SshCheckView.class))
          .whenComplete(
              (view, error) -> {
                if (error != null) {
                  fail(exchange, error);
                } else if (view == null
                    && clock.instant().isBefore(started.plus(READ_MODEL_GRACE))) {
                  later(exchange, ask, started);
                } else if (view == null
                    || view.srcNodeId() != ask.src()
                    || view.dstNodeId() != ask.dst()) {
                  openCheck(
                      exchange, ask,
                      src); // unknown, or about another connection: this one gets its own
                } else if ("APPROVED".equals(view.status())) {
                  answer(exchange, accepted(rule, "SSH check passed.\n"));
                } else if ("REJECTED".equals(view.status())) {
                  answer(
                      exchange,
                      SSHAction.rejected(
                          "SSH check rejected"
                              + (view.reason() == null || view.reason().isBlank()
                                  ? ""
                                  : ": " + view.reason())
                              + "\n"));
                } else if (!clock.instant().isBefore(view.expiresAt())) {
                  answer(exchange, SSHAction.rejected("SSH check timed out\n"));
                } else if (clock.instant().isBefore(started.plus(hold))) {
                  later(exchange, ask, started);
                } else {
                  answer(exchange, SSHAction.hold(null, urls.hold(ask.request(), ask.checkId())));
                }
              });
      return;
    }
    queries
        .query(
            new FindLastSshAuthenticationQuery(src.userId()),
            ResponseTypes.instanceOf(SshCheckView.class))
        .whenComplete(
            (last, error) -> {
              if (error != null) {
                fail(exchange, error);
              } else if (last != null
                  && last.decidedAt() != null
                  && clock.instant().isBefore(last.decidedAt().plus(period))) {
                answer(exchange, accepted(rule, null));
              } else {
                openCheck(exchange, ask, src);
              }
            });
  }

  private void openCheck(HttpServerExchange exchange, Ask ask, NodeView src) {
    MetaData audit =
        AuditMetadata.of(
            new Actor(ActorType.NODE, ask.peer().machineKey(), ""),
            Origin.NODE,
            ask.peer().remoteIp(),
            null);
    CompletableFuture<Object> sent;
    try {
      sent =
          commands.send(
              GenericCommandMessage.asCommandMessage(
                      new RequestSshCheckCommand(
                          ask.src(), ask.dst(), ask.sshUser(), ask.localUser()))
                  .andMetaData(audit));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (id, error) -> {
          if (error != null) {
            Throwable cause = unwrap(error);
            if (cause instanceof CommandRefusedException refused) {
              answer(exchange, SSHAction.rejected(refused.getMessage() + "\n"));
            } else {
              fail(exchange, error);
            }
            return;
          }
          String checkId = (String) id;
          answer(
              exchange,
              SSHAction.hold(
                  "# Tailscale SSH requires an additional check by "
                      + src.userName()
                      + ".\n# To authenticate, visit: "
                      + serverUrl.sshCheckPageUrl(checkId)
                      + "\n# (or an administrator runs: ledgerscale auth approve --auth-id "
                      + checkId
                      + ")\n",
                  urls.hold(ask.request(), checkId)));
        });
  }

  private SSHAction accepted(JsonNode rule, String message) {
    return SSHAction.accepted(
        message,
        rule.path("allowAgentForwarding").asBoolean(false),
        rule.path("allowLocalPortForwarding").asBoolean(false),
        rule.path("allowRemotePortForwarding").asBoolean(false));
  }

  private void later(HttpServerExchange exchange, Ask ask, Instant started) {
    exchange
        .getIoThread()
        .executeAfter(
            () ->
                exchange.getConnection().getWorker().execute(() -> decide(exchange, ask, started)),
            pollInterval.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private static String param(HttpServerExchange exchange, String name) {
    Deque<String> v = exchange.getQueryParameters().get(name);
    return v == null || v.isEmpty() ? null : v.getFirst();
  }

  private static void answer(HttpServerExchange exchange, SSHAction action) {
    byte[] body;
    try {
      body = TailcfgJson.MAPPER.writeValueAsBytes(action);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    exchange.setStatusCode(StatusCodes.OK);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
  }

  private static void fail(HttpServerExchange exchange, Throwable error) {
    log.warn("SSH action failed: {}", unwrap(error).toString());
    // the client backs off and asks again
    text(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "try again later");
  }

  private static void text(HttpServerExchange exchange, int status, String message) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send(message + "\n");
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
