// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.support;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's JdbcTemplate (Spring Boot's own backs off when one exists) is the storable one,
 * so every view write, and every other statement, passes text PostgreSQL accepts.
 */
@Configuration(proxyBeanMethods = false)
public class ProjectionStorage {
  @Bean
  public StorableJdbcTemplate jdbcTemplate(DataSource dataSource) {
    return new StorableJdbcTemplate(dataSource);
  }
}
