// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.policy;

import io.ledgerscale.gateway.map.TailnetLoader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Whether the map serves the stored policy. A stored policy that does not compile leaves the server
 * up (the map fails closed and an admin must be able to set a good one), so the status stays UP and
 * the problem is told in the details: what the compiler said and what is served instead.
 */
public final class PolicyHealthIndicator implements HealthIndicator {
  /** The name /health lists it under (the bean name without "HealthIndicator"). */
  public static final String NAME = "policy";

  /**
   * Present when user tokens of the stored policy name several users: they match nobody until a
   * user is renamed or the policy says whom it means.
   */
  public static final String AMBIGUOUS_USERS = "ambiguous_users";

  /**
   * Present in file mode when the file's text is not in force (refused, missing, unreadable): why,
   * and since when. The status stays UP, the policy in force is served.
   */
  public static final String FILE_ERROR = "file_error";

  private final ObjectProvider<TailnetLoader> loader;
  private final ObjectProvider<PolicyFileWatcher> file;

  public PolicyHealthIndicator(
      ObjectProvider<TailnetLoader> loader, ObjectProvider<PolicyFileWatcher> file) {
    this.loader = loader;
    this.file = file;
  }

  @Override
  public Health health() {
    TailnetLoader l = loader.getIfAvailable();
    if (l == null) {
      return Health.unknown().build();
    }
    Health.Builder health =
        l.policyProblem()
            .map(
                p ->
                    Health.up()
                        .withDetail("compiles", false)
                        .withDetail("error", p.error())
                        .withDetail("serving", p.serving().description))
            .orElseGet(() -> Health.up().withDetail("compiles", true));
    l.ambiguousUsers().ifPresent(a -> health.withDetail(AMBIGUOUS_USERS, a));
    PolicyFileWatcher watcher = file.getIfAvailable();
    if (watcher != null) {
      watcher
          .problem()
          .ifPresent(
              p ->
                  health
                      .withDetail(FILE_ERROR, p.error())
                      .withDetail("file_error_since", p.since().toString()));
    }
    return health.build();
  }
}
