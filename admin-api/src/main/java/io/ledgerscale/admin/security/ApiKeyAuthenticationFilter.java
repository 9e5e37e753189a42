// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer lskey-api-…}. A request without the header goes on
 * unauthenticated (and is then refused by the entry point); a request with a bad key is refused
 * here, before anything runs.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {
  private static final String BEARER = "Bearer ";

  private final AuthenticationManager authenticationManager;
  private final AuthenticationEntryPoint entryPoint;

  public ApiKeyAuthenticationFilter(
      AuthenticationManager authenticationManager, AuthenticationEntryPoint entryPoint) {
    this.authenticationManager = authenticationManager;
    this.entryPoint = entryPoint;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      chain.doFilter(request, response);
      return;
    }
    Optional<PresentedApiKey> presented =
        PresentedApiKey.parse(header.substring(BEARER.length()).trim());
    try {
      if (presented.isEmpty()) {
        throw new BadCredentialsException("invalid API key");
      }
      SecurityContext context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(
          authenticationManager.authenticate(ApiKeyAuthentication.unchecked(presented.get())));
      SecurityContextHolder.setContext(context);
    } catch (AuthenticationException refused) {
      SecurityContextHolder.clearContext();
      entryPoint.commence(request, response, refused);
      return;
    }
    chain.doFilter(request, response);
  }
}
