// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import io.ledgerscale.domain.api.ServerUrl;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;

/**
 * The one client registration, {@value #REGISTRATION_ID}, built from the issuer's discovery
 * document. With only_start_if_oidc_is_available the document is fetched at construction, so
 * startup fails when it cannot be; otherwise each use retries until it succeeds once, and until
 * then a login fails with the reason.
 */
public class OidcClientRegistrations implements ClientRegistrationRepository {
  public static final String REGISTRATION_ID = "oidc";

  /** Headscale's callback path, so the redirect URI already registered at the IdP keeps working. */
  public static final String CALLBACK_PATH = ServerUrl.OIDC_CALLBACK_PATH;

  private static final Logger log = LoggerFactory.getLogger(OidcClientRegistrations.class);

  private final OidcProperties properties;
  private final String redirectUri;
  private volatile ClientRegistration registration;

  public OidcClientRegistrations(OidcProperties properties, ServerUrl serverUrl) {
    if (properties.clientId() == null || properties.clientId().isBlank()) {
      throw new OidcUnavailableException(
          "oidc.client_id is required when oidc.issuer is set", null);
    }
    this.properties = properties;
    this.redirectUri = serverUrl.oidcCallbackUrl();
    if (properties.onlyStartIfOidcIsAvailable()) {
      try {
        registration();
      } catch (OidcUnavailableException e) {
        throw new OidcUnavailableException(
            e.getMessage()
                + "; oidc.only_start_if_oidc_is_available is true, so"
                + " the server does not start",
            e);
      }
    } else {
      try {
        registration();
      } catch (OidcUnavailableException e) {
        log.warn("OIDC login unavailable until the issuer answers: {}", e.getMessage());
      }
    }
  }

  @Override
  public ClientRegistration findByRegistrationId(String registrationId) {
    return REGISTRATION_ID.equals(registrationId) ? registration() : null;
  }

  /** The registration, discovering it first if that has not succeeded yet; throws why it cannot. */
  public ClientRegistration registration() {
    ClientRegistration known = registration;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (registration == null) {
        registration = build(OidcDiscovery.discover(properties.issuer()));
        log.info("OIDC login through {} is ready", properties.issuer());
      }
      return registration;
    }
  }

  public String redirectUri() {
    return redirectUri;
  }

  private ClientRegistration build(Map<String, Object> metadata) {
    boolean publicClient = properties.clientSecret().isEmpty();
    ClientRegistration.Builder builder =
        ClientRegistration.withRegistrationId(REGISTRATION_ID)
            .clientName(properties.issuer())
            .clientId(properties.clientId())
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .clientAuthenticationMethod(
                publicClient ? ClientAuthenticationMethod.NONE : authMethod(metadata))
            .redirectUri(redirectUri)
            .scope(properties.scope())
            .issuerUri((String) metadata.get("issuer"))
            .authorizationUri((String) metadata.get("authorization_endpoint"))
            .tokenUri((String) metadata.get("token_endpoint"))
            .jwkSetUri((String) metadata.get("jwks_uri"))
            .userNameAttributeName(IdTokenClaimNames.SUB)
            .providerConfigurationMetadata(metadata);
    if (!publicClient) {
      builder.clientSecret(properties.clientSecret());
    }
    if (metadata.get("userinfo_endpoint") instanceof String userInfo) {
      builder.userInfoUri(userInfo);
    }
    return builder.build();
  }

  /** client_secret_basic unless the issuer says it only takes client_secret_post. */
  private static ClientAuthenticationMethod authMethod(Map<String, Object> metadata) {
    if (metadata.get("token_endpoint_auth_methods_supported") instanceof List<?> methods
        && !methods.contains("client_secret_basic")
        && methods.contains("client_secret_post")) {
      return ClientAuthenticationMethod.CLIENT_SECRET_POST;
    }
    return ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
  }
}
