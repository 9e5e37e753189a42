// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import io.ledgerscale.server.config.ConfigException;
import io.ledgerscale.server.config.ConfigLoader;
import io.ledgerscale.server.config.DatabaseSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataSourceConfigurationTest {

  private static HikariConfig pooled(Map<String, String> env) {
    DatabaseSettings db = ConfigLoader.load(null, env).config().database;
    HikariConfig hikari = new HikariConfig();
    DataSourceConfiguration.pool(db, hikari);
    return hikari;
  }

  @Test
  void shouldSizeThePoolAsHeadscaleDoesByDefault() {
    HikariConfig hikari = pooled(Map.of());

    assertThat(hikari.getMaximumPoolSize()).isEqualTo(10);
    assertThat(hikari.getMinimumIdle()).isEqualTo(10);
    assertThat(hikari.getIdleTimeout()).as("a fixed-size pool closes no idle connection").isZero();
  }

  @Test
  void shouldCloseIdleConnectionsAboveTheMinimumAfterTheConfiguredTime() {
    HikariConfig hikari = pooled(Map.of("LEDGERSCALE_DATABASE_POSTGRES_MAX_IDLE_CONNS", "2"));

    assertThat(hikari.getMinimumIdle()).isEqualTo(2);
    assertThat(hikari.getIdleTimeout()).isEqualTo(3_600_000);
  }

  @Test
  void shouldApplyThePoolKeysToTheEmbeddedDatabaseToo() {
    HikariConfig hikari =
        pooled(
            Map.of(
                "LEDGERSCALE_DATABASE_TYPE", "embedded",
                "LEDGERSCALE_DATABASE_POSTGRES_MAX_OPEN_CONNS", "30",
                "LEDGERSCALE_DATABASE_POSTGRES_MAX_IDLE_CONNS", "50",
                "LEDGERSCALE_DATABASE_POSTGRES_CONN_MAX_IDLE_TIME_SECS", "0"));

    assertThat(hikari.getMaximumPoolSize()).isEqualTo(30);
    assertThat(hikari.getMinimumIdle()).as("never more idle than open").isEqualTo(30);
    assertThat(hikari.getIdleTimeout()).as("0 keeps idle connections").isZero();
  }

  @Test
  void shouldNotCloseIdleConnectionsSoonerThanHikariCan() {
    HikariConfig hikari =
        pooled(
            Map.of(
                "LEDGERSCALE_DATABASE_POSTGRES_CONN_MAX_IDLE_TIME_SECS", "3",
                "LEDGERSCALE_DATABASE_POSTGRES_MAX_IDLE_CONNS", "2"));

    assertThat(hikari.getIdleTimeout()).isEqualTo(10_000);
  }

  @Test
  void shouldGiveUpOnAnUnreachableDatabaseWithinSeconds() {
    HikariConfig defaults = pooled(Map.of());
    HikariConfig configured = pooled(Map.of("LEDGERSCALE_DATABASE_CONNECTION_TIMEOUT", "1500ms"));

    assertThat(defaults.getConnectionTimeout()).isEqualTo(3_000);
    assertThat(defaults.getValidationTimeout()).isEqualTo(1_000);
    assertThat(defaults.getKeepaliveTime()).isEqualTo(30_000);
    assertThat(defaults.getDataSourceProperties()).containsEntry("tcpKeepAlive", "true");
    assertThat(configured.getConnectionTimeout()).isEqualTo(1_500);
  }

  @Test
  void shouldRefuseAConnectionTimeoutOutsideItsBounds() {
    assertThatThrownBy(() -> pooled(Map.of("LEDGERSCALE_DATABASE_CONNECTION_TIMEOUT", "10ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("database.connection_timeout");
  }
}
