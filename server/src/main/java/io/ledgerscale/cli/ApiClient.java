// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The admin REST API as the CLI sees it. Every request says it comes from the CLI, for the audit
 * trail.
 */
public class ApiClient {
  private final String baseUri;
  private final String apiKey;
  private final Duration timeout;
  private final boolean insecure;

  public ApiClient(String baseUri, String apiKey, Duration timeout, boolean insecure) {
    this.baseUri = baseUri;
    this.apiKey = apiKey;
    this.timeout = timeout;
    this.insecure = insecure;
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

  /**
   * One request on HttpURLConnection rather than java.net.http.HttpClient: a CLI call makes one or
   * two requests, and HttpClient's set-up (its selector thread, the default TLS context with every
   * CA certificate) took longer than the rest of the call.
   */
  private JsonNode send(String method, String path, Object body) {
    if (apiKey == null) {
      throw new CliException(
          "no API key: pass --api-key, set LEDGERSCALE_CLI_API_KEY or cli.api_key in the config,"
              + " or run on the server's machine where the first key is in <data_dir>/"
              + CliSettings.INITIAL_KEY_FILE);
    }
    HttpURLConnection connection = null;
    try {
      // no proxy, no redirects: the request goes to the address given, with the key, or nowhere
      connection =
          (HttpURLConnection) URI.create(baseUri + path).toURL().openConnection(Proxy.NO_PROXY);
      if (insecure && connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(trustingEverything().getSocketFactory());
      }
      connection.setRequestMethod(method);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setRequestProperty("Authorization", "Bearer " + apiKey);
      connection.setRequestProperty("Accept", "application/json, application/problem+json");
      connection.setRequestProperty("X-Ledgerscale-Origin", "cli");
      connection.setRequestProperty("X-Request-Id", UUID.randomUUID().toString());
      if (body != null || method.equals("POST") || method.equals("PUT")) {
        byte[] bytes = body == null ? new byte[0] : JsonText.bytes(body);
        if (body != null) {
          connection.setRequestProperty("Content-Type", "application/json");
        }
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = connection.getResponseCode();
      String text;
      try (InputStream in =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      JsonNode answer = JsonText.parse(text);
      if (status / 100 != 2) {
        throw new CliException(problemText(status, answer));
      }
      return answer;
    } catch (ConnectException e) {
      throw unreachable(e);
    } catch (SocketTimeoutException e) {
      if (e.getMessage() != null && e.getMessage().contains("connect")) {
        throw unreachable(e);
      }
      throw new CliException(
          "the server at " + baseUri + " did not answer within " + timeout.toSeconds() + " s", e);
    } catch (IllegalArgumentException e) {
      throw new CliException("invalid server address " + baseUri + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CliException("talking to " + baseUri + " failed: " + e.getMessage(), e);
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private CliException unreachable(IOException e) {
    return new CliException(
        "cannot reach the server at " + baseUri + " (is it running? see --address)", e);
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
