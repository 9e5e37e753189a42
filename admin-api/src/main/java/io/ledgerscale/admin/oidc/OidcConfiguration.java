// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import io.ledgerscale.domain.api.ServerUrl;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** OIDC login, set up only when the configuration names an issuer. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "ledgerscale.oidc", name = "issuer")
@EnableConfigurationProperties(OidcProperties.class)
public class OidcConfiguration {

  @Bean
  OidcClientRegistrations oidcClientRegistrations(OidcProperties properties, ServerUrl serverUrl) {
    return new OidcClientRegistrations(properties, serverUrl);
  }

  @Bean
  OidcLogin oidcLogin(
      OidcProperties properties, OidcClientRegistrations registrations, CommandGateway commands) {
    return new OidcLogin(properties, registrations, new OidcLoginHandlers(properties, commands));
  }
}
