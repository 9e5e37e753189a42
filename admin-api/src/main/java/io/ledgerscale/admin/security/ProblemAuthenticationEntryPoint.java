// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;

/**
 * Answers a missing or rejected API key with 401 and a problem document; a key that could not be
 * checked with 503 and Retry-After.
 */
@Component
public class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {
  /** About as long as a read model that fell behind takes to catch up again. */
  static final long RETRY_AFTER_SECONDS = 2;

  private final ProblemWriter problems;

  public ProblemAuthenticationEntryPoint(ProblemWriter problems) {
    this.problems = problems;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException refused)
      throws IOException {
    if (refused instanceof AuthenticationServiceException) {
      // the key could not be checked at all; that is the server's fault, not the caller's
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
      problems.write(
          response, HttpStatus.SERVICE_UNAVAILABLE, "the API key could not be checked; try again");
      return;
    }
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ledgerscale\"");
    boolean presented = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
    problems.write(
        response,
        HttpStatus.UNAUTHORIZED,
        presented
            ? "invalid, expired or deleted API key"
            : "an API key is required (Authorization: Bearer lskey-api-…)");
  }
}
