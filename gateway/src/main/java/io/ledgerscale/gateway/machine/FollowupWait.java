// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.domain.api.query.FindPendingRegistrationQuery;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import io.ledgerscale.gateway.tailcfg.RegisterResponse;
import io.undertow.server.HttpServerExchange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

/**
 * The long poll of a RegisterRequest whose Followup is an AuthURL: the answer comes when an admin
 * approves or rejects the registration, or it expires. The registration's state is read from the
 * read model every {@link #POLL_INTERVAL} (so an approval made on another server instance is seen
 * too); between reads no thread waits, a timer on the connection's I/O thread schedules the next
 * read.
 */
final class FollowupWait {
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long an auth id we just handed out may be missing from the read model: the client follows
   * up at once, and the pending-registrations view trails the event store. Starting a new
   * registration then would hand the client a new AuthURL on every follow-up, and none could ever
   * be approved.
   */
  static final Duration READ_MODEL_GRACE = Duration.ofSeconds(15);

  private final HttpServerExchange exchange;
  private final QueryGateway queries;
  private final String authId;
  private final String machineKey;
  private final String nodeKey;
  private final Clock clock;
  private final Duration pollInterval;
  private final Function<PendingRegistrationView, RegisterResponse> approved;
  private final java.util.function.Supplier<CompletableFuture<RegisterResponse>> startAgain;
  private final java.util.function.BiConsumer<
          HttpServerExchange, CompletableFuture<RegisterResponse>>
      answer;
  private final Instant started;

  FollowupWait(
      HttpServerExchange exchange,
      QueryGateway queries,
      String authId,
      String machineKey,
      String nodeKey,
      Clock clock,
      Duration pollInterval,
      Function<PendingRegistrationView, RegisterResponse> approved,
      java.util.function.Supplier<CompletableFuture<RegisterResponse>> startAgain,
      java.util.function.BiConsumer<HttpServerExchange, CompletableFuture<RegisterResponse>>
          answer) {
    this.exchange = exchange;
    this.queries = queries;
    this.authId = authId;
    this.machineKey = machineKey;
    this.nodeKey = nodeKey;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.approved = approved;
    this.startAgain = startAgain;
    this.answer = answer;
    this.started = clock.instant();
  }

  /**
   * Reads the registration's state once; answers, or schedules the next read. Runs on a worker
   * thread.
   */
  void poll() {
    if (exchange.isComplete() || !exchange.getConnection().isOpen()) {
      return; // the client gave up (stream reset or connection closed)
    }
    queries
        .query(
            new FindPendingRegistrationQuery(authId),
            ResponseTypes.instanceOf(PendingRegistrationView.class))
        .whenComplete(
            (view, error) -> {
              if (error != null) {
                answer.accept(exchange, CompletableFuture.failedFuture(error));
              } else if (view == null && clock.instant().isBefore(started.plus(READ_MODEL_GRACE))) {
                pollLater();
              } else if (view == null
                  || !machineKey.equals(view.machineKey())
                  || !nodeKey.equalsIgnoreCase(view.nodeKey())) {
                // Unknown, or someone else's: this machine starts its own registration.
                answer.accept(exchange, startAgain.get());
              } else if ("APPROVED".equals(view.status())) {
                answer.accept(exchange, CompletableFuture.completedFuture(approved.apply(view)));
              } else if ("REJECTED".equals(view.status())) {
                answer.accept(
                    exchange,
                    CompletableFuture.completedFuture(
                        RegisterResponse.error(
                            "registration rejected"
                                + (view.reason() == null || view.reason().isBlank()
                                    ? ""
                                    : ": " + view.reason()))));
              } else if ("EXPIRED".equals(view.status()) || expired(view)) {
                answer.accept(exchange, startAgain.get());
              } else {
                pollLater();
              }
            });
  }

  private void pollLater() {
    exchange
        .getIoThread()
        .executeAfter(
            () -> exchange.getConnection().getWorker().execute(this::poll),
            pollInterval.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private boolean expired(PendingRegistrationView view) {
    Instant expiresAt = view.expiresAt();
    return expiresAt != null && !clock.instant().isBefore(expiresAt);
  }
}
