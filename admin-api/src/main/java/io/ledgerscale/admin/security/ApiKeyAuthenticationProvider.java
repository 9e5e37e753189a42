// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import io.ledgerscale.admin.support.ApiKeyPrincipal;
import io.ledgerscale.domain.api.query.ApiKeyCredential;
import io.ledgerscale.domain.api.query.ApiKeyVerdict;
import io.ledgerscale.domain.api.query.VerifyApiKeyQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;

/**
 * Accepts an API key whose secret hashes to the stored hash and that is neither expired nor
 * deleted, as the key's own events say ({@link VerifyApiKeyQuery}): a deletion or expiry holds from
 * the moment its command is acknowledged, whatever a read model has processed. When the server
 * cannot tell whether the key exists, the request is refused with a retry, never let through.
 */
@Component
public class ApiKeyAuthenticationProvider implements AuthenticationProvider {
  private final QueryGateway queries;
  private final ApiKeyUsageRecorder usage;
  private final Clock clock;

  public ApiKeyAuthenticationProvider(QueryGateway queries, ApiKeyUsageRecorder usage) {
    this.queries = queries;
    this.usage = usage;
    this.clock = Clock.systemUTC();
  }

  @Override
  public Authentication authenticate(Authentication authentication) throws AuthenticationException {
    PresentedApiKey presented = ((ApiKeyAuthentication) authentication).presented();
    ApiKeyVerdict verdict = verify(presented.prefix());
    if (verdict == null || verdict.undecided()) {
      throw new ApiKeyUncheckableException();
    }
    ApiKeyCredential credential = verdict.credential();
    // one answer for every reason, so a caller learns nothing about which keys exist
    if (credential == null || credential.deleted() || !presented.matches(credential.secretHash())) {
      throw new BadCredentialsException("invalid API key");
    }
    Instant now = clock.instant();
    if (credential.expiration() != null && !credential.expiration().isAfter(now)) {
      throw new BadCredentialsException("invalid API key");
    }
    ApiKeyPrincipal principal = new ApiKeyPrincipal(credential.id(), credential.prefix());
    usage.used(principal, now);
    return ApiKeyAuthentication.accepted(principal);
  }

  private ApiKeyVerdict verify(String prefix) {
    try {
      return queries
          .query(new VerifyApiKeyQuery(prefix), ResponseTypes.instanceOf(ApiKeyVerdict.class))
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuthenticationServiceException("interrupted while checking an API key");
    } catch (Exception e) {
      throw new AuthenticationServiceException("could not check the API key", e);
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return ApiKeyAuthentication.class.isAssignableFrom(authentication);
  }
}
