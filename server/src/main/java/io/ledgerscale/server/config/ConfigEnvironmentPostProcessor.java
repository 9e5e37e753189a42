// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;

/**
 * Loads the Ledgerscale configuration before the application context exists and turns it into
 * Spring settings. The file is named by the Spring property {@value #CONFIG_PROPERTY} (set by
 * {@code ledgerscale serve -c FILE}, or by a test), else found by {@link ConfigLoader}. The derived
 * settings rank below command-line arguments, system properties and environment variables, and
 * above application.yml.
 */
public class ConfigEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {
  public static final String CONFIG_PROPERTY = "ledgerscale.config";
  private final org.apache.commons.logging.Log log;

  public ConfigEnvironmentPostProcessor(DeferredLogFactory logs) {
    this.log = logs.getLog(ConfigEnvironmentPostProcessor.class);
  }

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getPropertySources().contains(ConfigPropertySource.NAME)) {
      return;
    }
    ConfigLoader.Loaded loaded = ConfigLoader.load(environment.getProperty(CONFIG_PROPERTY));
    log.info(
        loaded.source() == null
            ? "No config file found; using defaults"
            : "Configuration loaded from " + loaded.source().toAbsolutePath());
    loaded.warnings().forEach(log::warn);
    ConfigPropertySource source =
        new ConfigPropertySource(loaded, SpringSettings.of(loaded.config()));
    if (environment
        .getPropertySources()
        .contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
      environment
          .getPropertySources()
          .addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
    } else {
      environment.getPropertySources().addFirst(source);
    }
  }

  @Override
  public int getOrder() {
    return ConfigDataEnvironmentPostProcessor.ORDER + 1;
  }
}
