// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import io.ledgerscale.admin.oidc.OidcLogin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Two filter chains. {@code /api/**} is stateless and takes only API keys. Everything else (the
 * Noise and registration endpoints, which authenticate themselves) passes; it gets OIDC login once
 * an issuer is configured, and without one nothing about OIDC is set up, so the server starts as
 * before.
 */
@Configuration
@EnableWebSecurity
public class AdminSecurityConfiguration {
  static final String[] PUBLIC_API = {
    "/api/v1/openapi.json", "/api/v1/openapi.json.yaml", "/api/v1/openapi.json/**"
  };

  /**
   * A path the firewall refuses ({@code %2e%2e}, {@code %00}, {@code //}, ...) is answered as every
   * other error, a problem document, not the framework's error page.
   */
  @Bean
  RequestRejectedHandler problemForRejectedRequests(ProblemWriter problems) {
    return (request, response, rejected) ->
        problems.write(response, HttpStatus.BAD_REQUEST, "the request path is not acceptable");
  }

  @Bean
  @Order(1)
  SecurityFilterChain adminApiChain(
      HttpSecurity http,
      ApiKeyAuthenticationProvider apiKeys,
      ProblemAuthenticationEntryPoint entryPoint,
      ProblemWriter problems)
      throws Exception {
    ApiKeyAuthenticationFilter apiKeyFilter =
        new ApiKeyAuthenticationFilter(new ProviderManager(apiKeys), entryPoint);
    return http.securityMatcher("/api/**")
        .csrf(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(
            session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            requests ->
                requests.requestMatchers(PUBLIC_API).permitAll().anyRequest().authenticated())
        .exceptionHandling(
            errors ->
                errors
                    .authenticationEntryPoint(entryPoint)
                    .accessDeniedHandler(
                        (request, response, denied) ->
                            problems.write(response, HttpStatus.FORBIDDEN, "not permitted")))
        .addFilterBefore(apiKeyFilter, AnonymousAuthenticationFilter.class)
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain everythingElseChain(HttpSecurity http, ObjectProvider<OidcLogin> oidc)
      throws Exception {
    // the Noise upgrade and the machine endpoints are POSTs from clients that hold no session,
    // hence no CSRF here
    // no framework pages (/login, /logout): this server logs nobody in or out, an OIDC login only
    // approves one registration
    http.csrf(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
    OidcLogin login = oidc.getIfAvailable();
    if (login != null) {
      login.apply(http);
    }
    return http.build();
  }
}
