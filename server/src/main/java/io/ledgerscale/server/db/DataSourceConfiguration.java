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
 * projections. It points at the embedded PostgreSQL or at {@code database.postgres.*}. It survives
 * the database going away: connections are validated and replaced, requests meanwhile are refused
 * after {@code database.connection_timeout} (503), {@link DatabaseProbe} answers /health within a
 * second, and {@link ProcessorRecovery} wakes the event processors once it is back.
 */
@Configuration(proxyBeanMethods = false)
public class DataSourceConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(
      name = "ledgerscale.database.type",
      havingValue = DatabaseSettings.EMBEDDED,
      matchIfMissing = true)
  public EmbeddedPostgresServer embeddedPostgres(
      LedgerscaleConfig config, ObjectProvider<EmbeddedPostgresEarlyStart.Started> early) {
    EmbeddedPostgresEarlyStart.Started started = early.getIfAvailable();
    return started != null ? started.await() : EmbeddedPostgresServer.start(config);
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
      hikari.setPassword(server.password());
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

  /** Replaces Spring's "db" indicator, which waits as long as the pool does (30 s by default). */
  @Bean(name = "dbHealthIndicator", destroyMethod = "close")
  public DatabaseProbe dbHealthIndicator(
      HikariDataSource dataSource, ObjectProvider<EmbeddedPostgresServer> embedded) {
    return new DatabaseProbe(dataSource, embedded.getIfAvailable());
  }

  @Bean(destroyMethod = "close")
  public ProcessorRecovery processorRecovery(
      DatabaseProbe probe,
      ObjectProvider<EmbeddedPostgresServer> embedded,
      ObjectProvider<org.axonframework.config.EventProcessingConfiguration> processors,
      ObjectProvider<org.axonframework.eventhandling.tokenstore.TokenStore> tokens,
      ObjectProvider<org.axonframework.common.transaction.TransactionManager> transactions) {
    ProcessorRecovery recovery = new ProcessorRecovery(processors, tokens, transactions);
    probe.onRecovery(recovery::resumeSoon);
    EmbeddedPostgresServer server = embedded.getIfAvailable();
    if (server != null) {
      server.onRestart(recovery::resumeSoon);
    }
    return recovery;
  }

  /**
   * Headscale's pool keys, for the embedded database too. Hikari closes idle connections only above
   * its minimum and not sooner than 10 s; zero keeps them, as Go's database/sql does. A pool whose
   * minimum is its size (the default) never closes one, so it gets no idle timeout: Hikari would
   * ignore it and warn at every start.
   */
  static void pool(DatabaseSettings db, HikariConfig hikari) {
    // while the database is unreachable a request waits this long for a connection, then is
    // answered 503; a broken connection is found by validation on borrow and by the keepalive
    long wait = db.connectionTimeout().toMillis();
    hikari.setConnectionTimeout(wait);
    hikari.setValidationTimeout(Math.min(1000, wait));
    hikari.setKeepaliveTime(30_000);
    hikari.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, wait / 1000)));
    hikari.addDataSourceProperty("tcpKeepAlive", "true");
    hikari.setMaximumPoolSize(db.poolSize());
    hikari.setMinimumIdle(db.idleConnections());
    long idleMillis = db.connectionMaxIdleTime().toMillis();
    boolean fixedSize = hikari.getMinimumIdle() >= hikari.getMaximumPoolSize();
    hikari.setIdleTimeout(idleMillis == 0 || fixedSize ? 0 : Math.max(10_000, idleMillis));
  }

  /** Headscale writes ssl as true/false or as a libpq sslmode. */
  static String sslMode(String ssl) {
    if (ssl == null || ssl.isBlank() || ssl.equalsIgnoreCase("false")) {
      return null;
    }
    return ssl.equalsIgnoreCase("true") ? "require" : ssl;
  }
}
