// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.oidc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A browser without a screen: keeps cookies per host, follows nothing by itself, so a test can look
 * at every redirect of the login on its way between Ledgerscale and the identity provider.
 */
final class Browser {
  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  record Page(int status, URI uri, String location, String contentType, String body) {
    /** The redirect target, resolved against the page's own address. */
    URI next() {
      if (location == null) {
        throw new AssertionError("no redirect from " + uri + " (HTTP " + status + "): " + body);
      }
      return uri.resolve(location);
    }

    @Override
    public String toString() {
      return "HTTP "
          + status
          + " "
          + uri
          + (location == null ? "" : " -> " + location)
          + "\n"
          + body;
    }
  }

  Page get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  /** A JSON POST with an API key (the admin REST API). */
  Page postJson(URI uri, String apiKey, String json) {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + apiKey)
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Page postForm(URI uri, String field, String value) {
    String body =
        URLEncoder.encode(field, StandardCharsets.UTF_8)
            + "="
            + URLEncoder.encode(value, StandardCharsets.UTF_8);
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Page send(HttpRequest.Builder request) {
    try {
      HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      return new Page(
          response.statusCode(),
          built.uri(),
          response.headers().firstValue("Location").orElse(null),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
