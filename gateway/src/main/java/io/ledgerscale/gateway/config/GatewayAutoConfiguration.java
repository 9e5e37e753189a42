// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.config;

import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.gateway.key.MachineKeyStore;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.gateway.limits.ResourceLimits;
import io.ledgerscale.gateway.machine.AuditLogHandler;
import io.ledgerscale.gateway.machine.MachineRouter;
import io.ledgerscale.gateway.machine.MapHandler;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.machine.NetworkMapSource;
import io.ledgerscale.gateway.machine.NodeKeyCheck;
import io.ledgerscale.gateway.machine.RegisterHandler;
import io.ledgerscale.gateway.machine.RegistrationLimits;
import io.ledgerscale.gateway.machine.WhoamiHandler;
import io.ledgerscale.gateway.map.SshActionUrl;
import io.ledgerscale.gateway.map.SshPolicies;
import io.ledgerscale.gateway.noise.HandshakeCounts;
import io.ledgerscale.gateway.ssh.SshActionHandler;
import io.ledgerscale.gateway.ts2021.ControlProtocol;
import io.undertow.Undertow;
import io.undertow.util.Methods;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Puts the Tailscale control protocol on Spring Boot's Undertow listener: {@code /key} and {@code
 * /ts2021} are native Undertow handlers in front of the servlet deployment (an HTTP upgrade must
 * not go through servlet filters), and the Noise connections serve {@code /machine/*} with
 * Undertow's HTTP/2 server.
 *
 * <p>Configuration: a {@link ServerUrl} bean (the server publishes the one it parsed from {@code
 * server_url}; there is no default here, a missing one fails the start), the server's {@code
 * ledgerscale.data-dir} and {@code ledgerscale.noise.private-key-path} (default: data dir /
 * noise_private.key), falling back to Headscale's own key name {@code noise.private_key_path}. A
 * {@link ServerMachineKey} bean of the server's own replaces the file handling here.
 */
@AutoConfiguration(afterName = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
@ConditionalOnClass({Undertow.class, UndertowServletWebServerFactory.class})
public class GatewayAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public ServerMachineKey serverMachineKey(
      @Value(
              "${ledgerscale.noise.private-key-path:${noise.private_key_path:${ledgerscale.data-dir:data}/noise_private.key}}")
          String path) {
    return MachineKeyStore.loadOrCreate(Path.of(path), new SecureRandom());
  }

  @Bean
  @ConditionalOnMissingBean
  public MapStreams mapStreams() {
    return new MapStreams();
  }

  @Bean
  @ConditionalOnMissingBean
  public HandshakeCounts noiseHandshakeCounts() {
    return new HandshakeCounts();
  }

  /** Picked up by Spring Boot's metrics when a meter registry is present; inert otherwise. */
  @Bean
  @ConditionalOnMissingBean
  public GatewayMetrics gatewayMetrics(MapStreams streams, HandshakeCounts handshakes) {
    return new GatewayMetrics(streams, handshakes);
  }

  /** The server hands over its configured limits as a bean; a bare gateway uses the defaults. */
  private static ResourceLimits limits(ObjectProvider<ResourceLimits> limits) {
    return limits.getIfAvailable(ResourceLimits::defaults);
  }

  @Bean
  @ConditionalOnMissingBean
  public MachineRouter machineRouter(
      CommandGateway commandGateway,
      QueryGateway queryGateway,
      ObjectProvider<NetworkMapSource> mapSource,
      ObjectProvider<ResourceLimits> limits,
      MapStreams streams,
      ServerUrl serverUrl) {
    // registering, the audit log and SSH checks cannot work without Axon's gateways: they are
    // required, so a context without them fails at start instead of serving a router without them
    MachineRouter router =
        new MachineRouter()
            .add(Methods.GET, "/machine/whoami", new WhoamiHandler())
            .add(
                Methods.POST,
                "/machine/register",
                new RegisterHandler(
                    commandGateway,
                    queryGateway,
                    serverUrl,
                    Clock.systemUTC(),
                    new RegistrationLimits(limits(limits))))
            .add(
                Methods.POST,
                "/machine/audit-log",
                new AuditLogHandler(commandGateway, NodeKeyCheck.through(queryGateway)));
    // the map is the server's (NetworkMapAutoConfiguration needs its MapSettings and connectivity
    // store); the gateway alone, as in its own Spring test, serves the Noise protocol without it
    NetworkMapSource source = mapSource.getIfAvailable();
    if (source != null) {
      router.add(
          Methods.POST,
          "/machine/map",
          new MapHandler(source, streams, NodeKeyCheck.through(queryGateway)));
      // SSH check mode needs the read models the map is built from
      router.addPrefix(
          Methods.GET,
          SshActionHandler.PREFIX,
          new SshActionHandler(
              commandGateway,
              queryGateway,
              new SshPolicies(queryGateway, new SshActionUrl(serverUrl)),
              serverUrl,
              Clock.systemUTC()));
    }
    return router;
  }

  @Bean
  public WebServerFactoryCustomizer<UndertowServletWebServerFactory> controlProtocolOnUndertow(
      ServerMachineKey key,
      MachineRouter router,
      ObjectProvider<ResourceLimits> limits,
      HandshakeCounts handshakes) {
    ResourceLimits l = limits(limits);
    return factory -> {
      factory.addDeploymentInfoCustomizers(
          deployment ->
              deployment.addInitialHandlerChainWrapper(
                  next -> ControlProtocol.wrap(next, key, router, l, handshakes)));
      factory.addBuilderCustomizers(builder -> ListenerTimeouts.apply(builder, l));
    };
  }
}
