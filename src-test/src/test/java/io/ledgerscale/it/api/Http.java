// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real HTTP against the running server, the way any client of the admin API talks to it. */
public final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public Http(String base) {
    this.base = base;
  }

  public Http bearer(String key) {
    return header("Authorization", "Bearer " + key);
  }

  public Http header(String name, String value) {
    Http copy = new Http(base);
    copy.headers.putAll(headers);
    copy.headers.put(name, value);
    return copy;
  }

  public Answer get(String path) {
    return send("GET", path, null);
  }

  public Answer post(String path, String json) {
    return send("POST", path, json);
  }

  public Answer put(String path, String json) {
    return send("PUT", path, json);
  }

  public Answer delete(String path) {
    return send("DELETE", path, null);
  }

  public Answer send(String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    headers.forEach(request::header);
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body(),
          response.headers());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  /** A response: status, content type and the body, as JSON where it is JSON. */
  public record Answer(
      int status, String contentType, String text, java.net.http.HttpHeaders headers) {
    public JsonNode json() {
      try {
        return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
      } catch (Exception e) {
        throw new IllegalStateException("not JSON: " + text, e);
      }
    }

    public boolean isProblem() {
      return contentType.startsWith("application/problem+json");
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + text;
    }
  }
}
