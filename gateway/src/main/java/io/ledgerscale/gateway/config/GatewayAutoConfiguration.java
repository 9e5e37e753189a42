// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.config;

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
 * <p>Configuration: the server's {@code ledgerscale.server-url}, {@code ledgerscale.data-dir} and
 * {@code ledgerscale.noise.private-key-path} (default: data dir / noise_private.key), falling back
 * to Headscale's own key names {@code server_url} and {@code noise.private_key_path}. A {@link
 * ServerMachineKey} bean of the server's own replaces the file handling here.
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
      ObjectProvider<CommandGateway> commands,
      ObjectProvider<QueryGateway> queries,
      ObjectProvider<NetworkMapSource> mapSource,
      ObjectProvider<ResourceLimits> limits,
      MapStreams streams,
      @Value("${ledgerscale.server-url:${server_url:http://127.0.0.1:8080}}") String serverUrl) {
    MachineRouter router =
        new MachineRouter().add(Methods.GET, "/machine/whoami", new WhoamiHandler());
    CommandGateway commandGateway = commands.getIfAvailable();
    QueryGateway queryGateway = queries.getIfAvailable();
    if (commandGateway != null && queryGateway != null) {
      router.add(
          Methods.POST,
          "/machine/register",
          new RegisterHandler(
              commandGateway,
              queryGateway,
              serverUrl,
              Clock.systemUTC(),
              new RegistrationLimits(limits(limits))));
      router.add(
          Methods.POST,
          "/machine/audit-log",
          new AuditLogHandler(commandGateway, NodeKeyCheck.through(queryGateway)));
    }
    NetworkMapSource source = mapSource.getIfAvailable();
    if (source != null && queryGateway != null) {
      // who may have a map is checked against the node's events, so no map without queries
      router.add(
          Methods.POST,
          "/machine/map",
          new MapHandler(source, streams, NodeKeyCheck.through(queryGateway)));
    }
    if (commandGateway != null && queryGateway != null && source != null) {
      // SSH check mode needs the read models the map is built from
      router.addPrefix(
          Methods.GET,
          SshActionHandler.PREFIX,
          new SshActionHandler(
              commandGateway,
              queryGateway,
              new SshPolicies(queryGateway, serverUrl),
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
