// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import java.util.regex.Pattern;
import org.axonframework.messaging.MetaData;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Says who sent the current request, through which channel, from where and as part of which request
 * id.
 */
@Component
public class AuditContext {
  public static final String ORIGIN_HEADER = "X-Ledgerscale-Origin";
  public static final String REQUEST_ID_HEADER = "X-Request-Id";
  // a client-chosen id ends up in events and logs, so only a short, plain token is taken over
  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public MetaData metadata() {
    HttpServletRequest request = currentRequest();
    return AuditMetadata.of(
        actor(), origin(request), request.getRemoteAddr(), correlationId(request));
  }

  public Actor actor() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication != null && authentication.getPrincipal() instanceof ApiKeyPrincipal key) {
      return new Actor(ActorType.API_KEY, key.prefix(), "api key " + key.prefix());
    }
    if (authentication != null && authentication.isAuthenticated()) {
      return new Actor(ActorType.USER, authentication.getName(), authentication.getName());
    }
    throw new IllegalStateException("an admin command without an authenticated caller");
  }

  /** The CLI says so in a header; it only changes the recorded channel, never who is acting. */
  static Origin origin(HttpServletRequest request) {
    return "cli".equalsIgnoreCase(request.getHeader(ORIGIN_HEADER)) ? Origin.CLI : Origin.REST;
  }

  static String correlationId(HttpServletRequest request) {
    String requestId = request.getHeader(REQUEST_ID_HEADER);
    if (requestId != null && SAFE_REQUEST_ID.matcher(requestId).matches()) {
      return requestId;
    }
    return UUID.randomUUID().toString();
  }

  private static HttpServletRequest currentRequest() {
    if (RequestContextHolder.getRequestAttributes()
        instanceof ServletRequestAttributes attributes) {
      return attributes.getRequest();
    }
    throw new IllegalStateException("no HTTP request in scope");
  }
}
