// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Fetches an issuer's OpenID discovery document. Done here rather than by Spring's {@code
 * ClientRegistrations}, which has no timeout: an issuer that does not answer must fail startup (or
 * a login) within seconds, clearly.
 */
final class OidcDiscovery {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private OidcDiscovery() {}

  static Map<String, Object> discover(String issuer) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    URI uri;
    try {
      uri = URI.create(base + "/.well-known/openid-configuration");
    } catch (IllegalArgumentException e) {
      throw new OidcUnavailableException("oidc.issuer '" + issuer + "' is not a URL", e);
    }
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(TIMEOUT)
                  .header("Accept", "application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new OidcUnavailableException(
          "OpenID discovery at " + uri + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OidcUnavailableException("OpenID discovery at " + uri + " was interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new OidcUnavailableException(
          "OpenID discovery at " + uri + " answered HTTP " + response.statusCode(), null);
    }
    Map<String, Object> metadata;
    try {
      metadata = JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new OidcUnavailableException("OpenID discovery at " + uri + " did not answer JSON", e);
    }
    for (String required :
        new String[] {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"}) {
      if (!(metadata.get(required) instanceof String)) {
        throw new OidcUnavailableException(
            "OpenID discovery at " + uri + " lacks " + required, null);
      }
    }
    String announced = (String) metadata.get("issuer");
    if (!strip(announced).equals(strip(issuer))) {
      throw new OidcUnavailableException(
          "OpenID discovery at "
              + uri
              + " names issuer "
              + announced
              + ", not the configured "
              + issuer,
          null);
    }
    return metadata;
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The JDK's connection failures often carry no message; say what happened in words. */
  private static String describe(IOException e) {
    String what =
        e instanceof java.net.ConnectException
            ? "cannot connect"
            : e instanceof java.net.http.HttpTimeoutException
                ? "no answer within " + TIMEOUT.toSeconds() + " s"
                : e instanceof java.net.UnknownHostException ? "unknown host" : "I/O error";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return what + " (" + t.getMessage() + ")";
      }
    }
    return what + " (" + e.getClass().getSimpleName() + ")";
  }
}
