// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;

/**
 * Spring Security's OAuth2 login, shaped like Headscale's: the IdP returns to {@code
 * /oidc/callback}, PKCE when pkce.enabled (S256, or plain if configured so), extra_params added to
 * the authorization request.
 */
public class OidcLogin {
  /** Parameters the protocol owns; extra_params cannot replace them. */
  private static final Set<String> RESERVED =
      Set.of(
          OAuth2ParameterNames.RESPONSE_TYPE,
          OAuth2ParameterNames.CLIENT_ID,
          OAuth2ParameterNames.REDIRECT_URI,
          OAuth2ParameterNames.SCOPE,
          OAuth2ParameterNames.STATE,
          "nonce",
          PkceParameterNames.CODE_CHALLENGE,
          PkceParameterNames.CODE_CHALLENGE_METHOD);

  private final OidcProperties properties;
  private final OidcClientRegistrations registrations;
  private final OidcLoginHandlers handlers;

  OidcLogin(
      OidcProperties properties,
      OidcClientRegistrations registrations,
      OidcLoginHandlers handlers) {
    this.properties = properties;
    this.registrations = registrations;
    this.handlers = handlers;
  }

  /** Adds the login to the chain that serves the browser paths. */
  public void apply(HttpSecurity http) throws Exception {
    DefaultOAuth2AuthorizationRequestResolver resolver =
        new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
    resolver.setAuthorizationRequestCustomizer(customizer());
    http.oauth2Login(
        login ->
            login
                .clientRegistrationRepository(registrations)
                .loginProcessingUrl(OidcClientRegistrations.CALLBACK_PATH)
                // a login starts from a device's registration link; naming a page of our own
                // keeps Spring's generated login page (/login) away
                .loginPage(OidcLoginSession.AUTHORIZATION_PATH)
                .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(resolver))
                .successHandler(handlers)
                .failureHandler(handlers));
  }

  Consumer<OAuth2AuthorizationRequest.Builder> customizer() {
    Consumer<OAuth2AuthorizationRequest.Builder> pkce = builder -> {};
    if (properties.pkce().enabled()) {
      pkce =
          "plain".equals(properties.pkce().method())
              ? plainPkce()
              : OAuth2AuthorizationRequestCustomizers.withPkce();
    }
    Map<String, Object> extra = new HashMap<>();
    properties
        .extraParams()
        .forEach(
            (k, v) -> {
              if (!RESERVED.contains(k)) {
                extra.put(k, v);
              }
            });
    return pkce.andThen(builder -> builder.additionalParameters(params -> params.putAll(extra)));
  }

  /** RFC 7636 "plain": the challenge is the verifier itself. Only for IdPs that cannot do S256. */
  private static Consumer<OAuth2AuthorizationRequest.Builder> plainPkce() {
    StringKeyGenerator verifiers =
        new Base64StringKeyGenerator(java.util.Base64.getUrlEncoder().withoutPadding(), 96);
    return builder -> {
      String verifier = verifiers.generateKey();
      builder.attributes(attributes -> attributes.put(PkceParameterNames.CODE_VERIFIER, verifier));
      builder.additionalParameters(
          params -> {
            params.put(PkceParameterNames.CODE_CHALLENGE, verifier);
            params.put(PkceParameterNames.CODE_CHALLENGE_METHOD, "plain");
          });
    };
  }
}
