// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import io.ledgerscale.server.config.ConfigPropertySource;
import io.ledgerscale.server.config.DatabaseSettings;
import io.ledgerscale.server.config.EarlyStart;
import io.ledgerscale.server.config.LedgerscaleConfig;
import java.io.IOException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Starts the embedded PostgreSQL on a thread of its own as soon as the configuration is known, so
 * the postmaster starts (or recovers its WAL) while Spring reads configuration classes and builds
 * the first beans: on a restart that overlaps a second or two of waiting with the context's own
 * work. {@link DataSourceConfiguration} takes the running server from here, or starts one itself
 * when this did not run (a context built without spring.factories).
 *
 * <p>The holder is a disposable bean of the context, so a context that fails before the database
 * bean exists still stops the postmaster it started.
 */
public final class EmbeddedPostgresEarlyStart
    implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {
  static final String BEAN = "ledgerscale.embeddedPostgresEarlyStart";

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    ConfigurableEnvironment environment = context.getEnvironment();
    String type = environment.getProperty("ledgerscale.database.type", DatabaseSettings.EMBEDDED);
    if (!DatabaseSettings.EMBEDDED.equals(type)
        || !(environment.getPropertySources().get(ConfigPropertySource.NAME)
            instanceof ConfigPropertySource source)) {
      return;
    }
    Started started = Started.begin(source.loaded().config());
    ConfigurableListableBeanFactory beans = context.getBeanFactory();
    beans.registerSingleton(BEAN, started);
    if (beans instanceof DefaultSingletonBeanRegistry registry) {
      registry.registerDisposableBean(BEAN, started::close);
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  /** The start under way, for the one bean that waits for it. */
  static final class Started {
    private final EarlyStart<EmbeddedPostgresServer> server;

    private Started(EarlyStart<EmbeddedPostgresServer> server) {
      this.server = server;
    }

    static Started begin(LedgerscaleConfig config) {
      return new Started(
          EarlyStart.begin("postgres-start", () -> EmbeddedPostgresServer.start(config)));
    }

    /** Waits for the start; its failure is thrown as the synchronous start would throw it. */
    EmbeddedPostgresServer await() {
      return server.await();
    }

    void close() throws IOException {
      EmbeddedPostgresServer running;
      try {
        running = server.await();
      } catch (RuntimeException | Error failedToStart) {
        return;
      }
      running.close();
    }
  }
}
