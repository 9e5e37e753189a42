// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.derp;

import io.ledgerscale.gateway.derp.AdmissionSweep;
import io.ledgerscale.gateway.derp.DerpAdmission;
import io.ledgerscale.gateway.derp.DerpHttpHandler;
import io.ledgerscale.gateway.derp.DerpMeters;
import io.ledgerscale.gateway.derp.DerpMetrics;
import io.ledgerscale.gateway.derp.DerpRelay;
import io.ledgerscale.gateway.derp.MeshKey;
import io.ledgerscale.gateway.derp.TailnetAdmission;
import io.ledgerscale.gateway.key.MachineKeyStore;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.gateway.limits.ResourceLimits;
import io.ledgerscale.gateway.limits.SourceCounter;
import io.ledgerscale.gateway.machine.MapSink;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.machine.NodeKeyCheck;
import io.ledgerscale.server.config.ConfigException;
import io.ledgerscale.server.config.DerpSettings;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.ledgerscale.server.config.ListenAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Headscale's embedded DERP server ({@code derp.server.*}): the relay on the control server's
 * listener, STUN on {@code stun_listen_addr}, and with {@code verify_clients} only this tailnet's
 * live nodes admitted. Nothing here exists while {@code derp.server.enabled} is false.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ledgerscale.derp.enabled", havingValue = "true")
public class EmbeddedDerpConfiguration {
  // a backstop: a node whose map stream ends here is checked at once; one deleted or expired while
  // its stream is on another instance (or still open) is cut off within this
  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

  @Bean
  public DerpMetrics derpMetrics() {
    return new DerpMetrics();
  }

  @Bean
  public EmbeddedDerp embeddedDerp(
      LedgerscaleConfig config,
      ServerMachineKey noiseKey,
      ObjectProvider<QueryGateway> queries,
      MapStreams streams,
      DerpMetrics metrics) {
    DerpSettings.Server s = config.derp.server;
    ServerMachineKey key =
        MachineKeyStore.loadOrCreate(config.derpPrivateKeyPath(), new SecureRandom(), "DERP");
    if (Arrays.equals(key.privateKey(), noiseKey.privateKey())) {
      // as Headscale: one key for both would let a relay client's box double as Noise material
      throw new ConfigException(
          "derp.server.private_key_path: "
              + config.derpPrivateKeyPath()
              + " holds the Noise private key; the DERP server needs a key of its own");
    }
    MeshKey meshKey =
        s.meshKeyPath == null || s.meshKeyPath.isBlank()
            ? null
            : MeshKeyFile.read(Path.of(s.meshKeyPath));
    DerpAdmission admission;
    AdmissionSweep sweep = null;
    DerpRelay relay;
    if (s.verifyClients) {
      QueryGateway q = queries.getIfAvailable();
      if (q == null) {
        throw new IllegalStateException("derp.server.verify_clients needs the node read models");
      }
      admission = new TailnetAdmission(NodeKeyCheck.through(q), Clock.systemUTC());
      relay = new DerpRelay(key.privateKey(), admission, metrics, meshKey);
      AdmissionSweep s2 = new AdmissionSweep(relay, SWEEP_INTERVAL);
      streams.addListener(
          new MapStreams.Listener() {
            @Override
            public void opened(String nodeKey, MapSink stream) {}

            @Override
            public void closed(String nodeKey, MapSink stream, boolean wasCurrent) {
              if (wasCurrent) {
                s2.recheck(nodeKey);
              }
            }
          });
      sweep = s2;
    } else {
      relay = new DerpRelay(key.privateKey(), DerpAdmission.anyone(), metrics, meshKey);
    }
    InetSocketAddress stun =
        s.stunAddress().map(EmbeddedDerpConfiguration::socketAddress).orElse(null);
    return new EmbeddedDerp(relay, stun, sweep, metrics, s.meshPeers());
  }

  @Bean
  public DerpMeters derpMeters(EmbeddedDerp derp, DerpMetrics metrics) {
    return new DerpMeters(derp.relay(), metrics);
  }

  /**
   * Relay connections are bounded like Noise sessions (each node holds one of each): {@code
   * limits.noise.max_sessions} in all and {@code limits.noise.max_sessions_per_source} per address,
   * counted apart.
   */
  @Bean
  public WebServerFactoryCustomizer<UndertowServletWebServerFactory> derpOnUndertow(
      EmbeddedDerp derp, ObjectProvider<ResourceLimits> limits) {
    ResourceLimits l = limits.getIfAvailable(ResourceLimits::defaults);
    SourceCounter connections =
        new SourceCounter(l.effectiveMaxNoiseSessions(), l.maxNoiseSessionsPerSource());
    return factory ->
        factory.addDeploymentInfoCustomizers(
            deployment ->
                deployment.addInitialHandlerChainWrapper(
                    next -> new DerpHttpHandler(derp.relay(), next, connections)));
  }

  private static InetSocketAddress socketAddress(ListenAddress a) {
    return a.host() == null || a.host().isEmpty()
        ? new InetSocketAddress(a.port())
        : new InetSocketAddress(a.host(), a.port());
  }
}
