// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The admin REST API as the CLI sees it. Every request says it comes from the CLI, for the audit
 * trail.
 */
public class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUri;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient http;

  public ApiClient(String baseUri, String apiKey, Duration timeout, boolean insecure) {
    this.baseUri = baseUri;
    this.apiKey = apiKey;
    this.timeout = timeout;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
    if (insecure) {
      builder.sslContext(trustingEverything());
    }
    this.http = builder.build();
  }

  public JsonNode get(String path) {
    return send("GET", path, null);
  }

  public JsonNode post(String path, Object body) {
    return send("POST", path, body);
  }

  public JsonNode put(String path, Object body) {
    return send("PUT", path, body);
  }

  public JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  /** A path with its query string; null and empty values are left out. */
  public static String path(String path, Map<String, ?> query) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (name, value) -> {
          if (value != null && !value.toString().isEmpty()) {
            q.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
          }
        });
    return path + q;
  }

  public static Map<String, Object> body(Object... keysAndValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        body.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return body;
  }

  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode send(String method, String path, Object body) {
    if (apiKey == null) {
      throw new CliException(
          "no API key: pass --api-key, set LEDGERSCALE_CLI_API_KEY or cli.api_key in the config,"
              + " or run on the server's machine where the first key is in <data_dir>/"
              + CliSettings.INITIAL_KEY_FILE);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUri + path))
            .timeout(timeout)
            .header("Authorization", "Bearer " + apiKey)
            .header("Accept", "application/json, application/problem+json")
            .header("X-Ledgerscale-Origin", "cli")
            .header("X-Request-Id", UUID.randomUUID().toString());
    try {
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode answer =
          response.body() == null || response.body().isBlank()
              ? JSON.createObjectNode()
              : JSON.readTree(response.body());
      if (response.statusCode() / 100 != 2) {
        throw new CliException(problemText(response.statusCode(), answer));
      }
      return answer;
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new CliException(
          "cannot reach the server at " + baseUri + " (is it running? see --address)", e);
    } catch (HttpTimeoutException e) {
      throw new CliException(
          "the server at " + baseUri + " did not answer within " + timeout.toSeconds() + " s", e);
    } catch (IOException e) {
      throw new CliException("talking to " + baseUri + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", e);
    }
  }

  private static String problemText(int status, JsonNode problem) {
    String detail = problem.path("detail").asText(problem.path("message").asText(""));
    return detail.isEmpty() ? "the server answered " + status : detail + " (" + status + ")";
  }

  /** For cli.insecure: a server with a self-signed certificate, as Headscale's flag allows. */
  private static SSLContext trustingEverything() {
    TrustManager trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
      return context;
    } catch (Exception e) {
      throw new CliException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
