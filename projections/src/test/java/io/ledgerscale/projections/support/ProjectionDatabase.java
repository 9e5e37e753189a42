// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One real PostgreSQL per test JVM; every test gets a fresh database migrated with the projection
 * migrations, so tests never see each other's rows.
 */
public final class ProjectionDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private ProjectionDatabase() {}

  public static synchronized JdbcTemplate fresh() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String name = "projections_" + COUNTER.incrementAndGet();
    new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE " + name);
    DataSource dataSource = postgres.getDatabase("postgres", name);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    return new StorableJdbcTemplate(dataSource);
  }
}
