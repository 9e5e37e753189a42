// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import java.util.Map;
import org.springframework.core.env.MapPropertySource;

/**
 * The Spring settings derived from the Ledgerscale configuration (server.port from listen_addr,
 * logging levels from log.level, ...). It also carries the loaded configuration itself, so the bean
 * factory hands out the very object the environment was built from instead of reading the file
 * twice.
 */
public class ConfigPropertySource extends MapPropertySource {
  public static final String NAME = "ledgerscaleConfig";
  private final ConfigLoader.Loaded loaded;

  public ConfigPropertySource(ConfigLoader.Loaded loaded, Map<String, Object> springProperties) {
    super(NAME, springProperties);
    this.loaded = loaded;
  }

  public ConfigLoader.Loaded loaded() {
    return loaded;
  }
}
