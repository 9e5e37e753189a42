// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ledgerscale.server.config.DatabaseSettings;
import io.ledgerscale.server.config.LedgerscaleConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one DataSource (Hikari) everything uses: Axon's event and token store, Flyway, the
 * projections. It points at the embedded PostgreSQL or at {@code database.postgres.*}.
 */
@Configuration(proxyBeanMethods = false)
public class DataSourceConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(
      name = "ledgerscale.database.type",
      havingValue = DatabaseSettings.EMBEDDED,
      matchIfMissing = true)
  public EmbeddedPostgresServer embeddedPostgres(LedgerscaleConfig config) {
    return EmbeddedPostgresServer.start(config);
  }

  @Bean
  public HikariDataSource dataSource(
      LedgerscaleConfig config, ObjectProvider<EmbeddedPostgresServer> embedded) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("ledgerscale");
    EmbeddedPostgresServer server = embedded.getIfAvailable();
    if (server != null) {
      hikari.setJdbcUrl(server.jdbcUrl());
      hikari.setUsername(EmbeddedPostgresServer.USER);
    } else {
      DatabaseSettings.Postgres pg = config.database.postgres;
      hikari.setJdbcUrl("jdbc:postgresql://" + pg.host + ":" + pg.port + "/" + pg.name);
      hikari.setUsername(pg.user);
      hikari.setPassword(pg.password());
      String sslMode = sslMode(pg.ssl);
      if (sslMode != null) {
        hikari.addDataSourceProperty("sslmode", sslMode);
      }
    }
    pool(config.database, hikari);
    hikari.addDataSourceProperty("ApplicationName", "ledgerscale");
    return new HikariDataSource(hikari);
  }

  /**
   * Headscale's pool keys, for the embedded database too. Hikari closes idle connections only above
   * its minimum and not sooner than 10 s; zero keeps them, as Go's database/sql does.
   */
  static void pool(DatabaseSettings db, HikariConfig hikari) {
    hikari.setMaximumPoolSize(db.poolSize());
    hikari.setMinimumIdle(db.idleConnections());
    long idleMillis = db.connectionMaxIdleTime().toMillis();
    hikari.setIdleTimeout(idleMillis == 0 ? 0 : Math.max(10_000, idleMillis));
  }

  /** Headscale writes ssl as true/false or as a libpq sslmode. */
  static String sslMode(String ssl) {
    if (ssl == null || ssl.isBlank() || ssl.equalsIgnoreCase("false")) {
      return null;
    }
    return ssl.equalsIgnoreCase("true") ? "require" : ssl;
  }
}
