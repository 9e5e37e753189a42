// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import io.ledgerscale.admin.support.ApiKeyPrincipal;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An API key on its way to being checked (credentials only), or a checked one (principal only). */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {
  private final transient PresentedApiKey presented;
  private final ApiKeyPrincipal principal;

  private ApiKeyAuthentication(PresentedApiKey presented, ApiKeyPrincipal principal) {
    super(principal == null ? List.of() : List.of(new SimpleGrantedAuthority("ROLE_ADMIN")));
    this.presented = presented;
    this.principal = principal;
    setAuthenticated(principal != null);
  }

  static ApiKeyAuthentication unchecked(PresentedApiKey presented) {
    return new ApiKeyAuthentication(presented, null);
  }

  static ApiKeyAuthentication accepted(ApiKeyPrincipal principal) {
    return new ApiKeyAuthentication(null, principal);
  }

  PresentedApiKey presented() {
    return presented;
  }

  @Override
  public Object getCredentials() {
    // the secret is not handed to anything that might print an Authentication
    return null;
  }

  @Override
  public Object getPrincipal() {
    return principal;
  }

  @Override
  public String getName() {
    return principal == null ? "" : principal.toString();
  }
}
