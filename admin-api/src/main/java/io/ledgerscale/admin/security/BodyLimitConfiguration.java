// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import io.undertow.UndertowOptions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * One body limit for every servlet path, answered as a problem document whatever the size.
 * Undertow's own listener cap (2 MiB by default since 2.3.21) refuses a larger declared body before
 * any filter runs, with a bare 500; so the listener cap is lifted and {@link BodyLimitFilter} is
 * the limit: it refuses a declared length over it without reading the body, and stops a chunked
 * body once it grows past it. The Noise endpoints are native handlers that set their own
 * per-exchange cap.
 */
@Configuration(proxyBeanMethods = false)
public class BodyLimitConfiguration {

  @Bean
  FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(ProblemWriter problems) {
    FilterRegistrationBean<BodyLimitFilter> registration =
        new FilterRegistrationBean<>(new BodyLimitFilter(problems));
    registration.addUrlPatterns("/*");
    // before Spring Security and everything else that might read the body
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  @Bean
  @ConditionalOnClass(UndertowServletWebServerFactory.class)
  WebServerFactoryCustomizer<UndertowServletWebServerFactory> noListenerBodyCap() {
    return factory ->
        factory.addBuilderCustomizers(
            builder -> builder.setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L));
  }
}
