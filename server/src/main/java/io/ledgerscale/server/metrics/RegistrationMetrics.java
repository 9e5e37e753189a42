// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.metrics;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.registration.RegistrationExpiredEvent;
import io.ledgerscale.domain.api.registration.RegistrationRejectedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * {@code ledgerscale.registrations{method,outcome}}: registrations this instance decided, counted
 * from the events its commands stored (once they are committed), so a registration counts once
 * whichever edge it came through, and a lost race that Axon retries does not count twice.
 * Registrations refused as busy store nothing; {@code ledgerscale.commands.refused.busy} counts
 * them.
 */
public final class RegistrationMetrics implements MeterBinder {
  public static final String NAME = "ledgerscale.registrations";

  /** Methods: Headscale's three, and "interactive" for a request before anyone approved it. */
  static final String PREAUTHKEY = "preauthkey";

  static final String CLI = "cli";
  static final String OIDC = "oidc";
  static final String INTERACTIVE = "interactive";

  /** Every (method, outcome) this class counts, so each series exists from the start at 0. */
  static final List<List<String>> SERIES =
      List.of(
          List.of(PREAUTHKEY, "accepted"),
          List.of(PREAUTHKEY, "reauthenticated"),
          List.of(PREAUTHKEY, "refused"),
          List.of(CLI, "accepted"),
          List.of(CLI, "reauthenticated"),
          List.of(CLI, "refused"),
          List.of(OIDC, "accepted"),
          List.of(OIDC, "reauthenticated"),
          List.of(OIDC, "refused"),
          List.of(INTERACTIVE, "pending"),
          List.of(INTERACTIVE, "rejected"),
          List.of(INTERACTIVE, "expired"),
          List.of(INTERACTIVE, "refused"));

  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

  public RegistrationMetrics(EventBus events) {
    events.subscribe(this::published);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (List<String> s : SERIES) {
      counters.put(
          s,
          Counter.builder(NAME)
              .description("node registrations by method and outcome")
              .tag("method", s.get(0))
              .tag("outcome", s.get(1))
              .register(registry));
    }
  }

  /** Called as the events are about to be committed: counted only once they are. */
  private void published(List<? extends EventMessage<?>> events) {
    if (CurrentUnitOfWork.isStarted()) {
      CurrentUnitOfWork.get().afterCommit(u -> count(events));
    } else {
      count(events);
    }
  }

  private void count(List<? extends EventMessage<?>> events) {
    for (EventMessage<?> e : events) {
      List<String> series = seriesOf(e);
      if (series != null) {
        Counter c = counters.get(series);
        if (c != null) {
          c.increment();
        }
      }
    }
  }

  /** The (method, outcome) an event is, or null when it is not about a registration. */
  static List<String> seriesOf(EventMessage<?> e) {
    Object p = e.getPayload();
    if (p instanceof NodeRegisteredEvent r) {
      return List.of(method(r.registerMethod()), "accepted");
    }
    if (p instanceof NodeReauthenticatedEvent r) {
      return List.of(method(r.registerMethod()), "reauthenticated");
    }
    if (p instanceof NodeKeyRotatedEvent) {
      return List.of(PREAUTHKEY, "reauthenticated");
    }
    if (p instanceof RegistrationRequestedEvent) {
      return List.of(INTERACTIVE, "pending");
    }
    if (p instanceof RegistrationRejectedEvent) {
      return List.of(INTERACTIVE, "rejected");
    }
    if (p instanceof RegistrationExpiredEvent) {
      return List.of(INTERACTIVE, "expired");
    }
    if (p instanceof CommandRefusedEvent r) {
      String method =
          switch (r.command()) {
            case "RegisterNodeWithPreAuthKeyCommand", "RotateNodeKeyCommand" -> PREAUTHKEY;
            case "RefuseOidcLoginCommand" -> OIDC;
            case "ApproveRegistrationCommand" ->
                Origin.OIDC.name().equals(e.getMetaData().get(AuditMetadata.ORIGIN)) ? OIDC : CLI;
            case "RequestRegistrationCommand" -> INTERACTIVE;
            default -> null;
          };
      return method == null ? null : List.of(method, "refused");
    }
    return null;
  }

  private static String method(RegisterMethod m) {
    if (m == null) {
      return CLI;
    }
    return switch (m) {
      case AUTH_KEY -> PREAUTHKEY;
      case CLI -> CLI;
      case OIDC -> OIDC;
    };
  }
}
