// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.health;

import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.domain.api.query.ApiKeyView;
import io.ledgerscale.domain.api.query.FetchApiKeysQuery;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Can the server reach its database: the one answer both Headscale health checks give ({@code GET
 * /health} and {@code GET /api/v1/health}). The server's "db" indicator answers within a second (it
 * knows when the embedded postmaster is down); without it, a read through the projections.
 */
@Component
public class DatabaseConnectivity {
  private final ObjectProvider<HealthContributorRegistry> registry;
  private final AdminGateway gateway;

  public DatabaseConnectivity(
      ObjectProvider<HealthContributorRegistry> registry, AdminGateway gateway) {
    this.registry = registry;
    this.gateway = gateway;
  }

  public boolean reachable() {
    HealthContributorRegistry contributors = registry.getIfAvailable();
    HealthContributor db = contributors == null ? null : contributors.getContributor("db");
    if (db != null) {
      return up(db);
    }
    try {
      gateway.queryList(new FetchApiKeysQuery(), ApiKeyView.class);
      return true;
    } catch (RuntimeException unreachable) {
      return false;
    }
  }

  private static boolean up(HealthContributor contributor) {
    if (contributor instanceof HealthIndicator indicator) {
      return Status.UP.equals(indicator.health().getStatus());
    }
    if (contributor instanceof CompositeHealthContributor composite) {
      boolean all = true;
      for (var named : composite) {
        all &= up(named.getContributor());
      }
      return all;
    }
    return false;
  }
}
