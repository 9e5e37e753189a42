// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.support;

import io.ledgerscale.server.LedgerscaleApplication;
import io.ledgerscale.server.config.ConfigEnvironmentPostProcessor;
import java.nio.file.Path;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** A server started in this JVM from a config file, for tests that stop and start it again. */
public final class RunningServer implements AutoCloseable {
  private final ConfigurableApplicationContext context;

  private RunningServer(ConfigurableApplicationContext context) {
    this.context = context;
  }

  public static RunningServer start(Path config) {
    return new RunningServer(
        new SpringApplicationBuilder(LedgerscaleApplication.class)
            .properties(ConfigEnvironmentPostProcessor.CONFIG_PROPERTY + "=" + config)
            .run());
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public String[] beanNames(Class<?> type) {
    return context.getBeanNamesForType(type);
  }

  /** The port the web server really listens on (the configs ask for a free one). */
  public int port() {
    return ((org.springframework.boot.web.context.WebServerApplicationContext) context)
        .getWebServer()
        .getPort();
  }

  public CommandGateway commands() {
    return bean(CommandGateway.class);
  }

  public QueryGateway queries() {
    return bean(QueryGateway.class);
  }

  public JdbcTemplate jdbc() {
    return bean(JdbcTemplate.class);
  }

  @Override
  public void close() {
    context.close();
  }
}
