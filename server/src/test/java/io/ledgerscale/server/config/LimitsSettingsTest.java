// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.gateway.limits.ResourceLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LimitsSettingsTest {
  @TempDir Path dir;

  private LedgerscaleConfig load(String yaml, Map<String, String> env) throws IOException {
    Path f = dir.resolve("config.yaml");
    Files.writeString(f, yaml);
    return ConfigLoader.load(f.toString(), env).config();
  }

  @Test
  void shouldDefaultToTheGatewaysSafeLimits() {
    assertThat(ConfigLoader.load(null, Map.of()).config().limits.resolve())
        .isEqualTo(ResourceLimits.defaults());
  }

  @Test
  void shouldReadTheLimitsFromTheFileAndTheEnvironment() throws IOException {
    ResourceLimits l =
        load(
                """
                limits:
                  http:
                    request_header_timeout: 5s
                  noise:
                    idle_timeout: 90s
                    max_sessions_per_source: 0
                  registration:
                    per_source_per_minute: 2
                """,
                Map.of("LEDGERSCALE_LIMITS_REGISTRATION_MAX_PENDING", "7"))
            .limits
            .resolve();
    assertThat(l.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(l.noiseIdleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(l.maxNoiseSessionsPerSource()).isZero();
    assertThat(l.registrationsPerMinutePerSource()).isEqualTo(2);
    assertThat(l.maxPendingRegistrations()).isEqualTo(7);
    assertThat(l.noiseHandshakeTimeout())
        .isEqualTo(ResourceLimits.defaults().noiseHandshakeTimeout());
  }

  @Test
  void shouldRefuseATimeoutOfZeroAndANegativeCap() {
    assertThatThrownBy(() -> load("limits:\n  noise:\n    handshake_timeout: 0\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.noise.handshake_timeout");
    assertThatThrownBy(() -> load("limits:\n  registration:\n    max_pending: -1\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.");
  }
}
