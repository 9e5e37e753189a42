// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.server.config.ConfigException;
import io.ledgerscale.server.config.ConfigLoader;
import io.ledgerscale.server.support.RunningServer;
import io.ledgerscale.server.support.SelfSignedCertificate;
import io.ledgerscale.server.support.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * tls_cert_path / tls_key_path: the server answers HTTPS itself, with the configured certificate.
 */
class DirectTlsTest {

  @Test
  void canServeTheNoiseKeyOverTlsWithTheConfiguredCertificate() throws Exception {
    Path dir = Files.createDirectories(TestConfigs.ROOT.resolve("tls-" + System.nanoTime()));
    SelfSignedCertificate tls = SelfSignedCertificate.writeTo(dir.resolve("certs"));
    Path config =
        TestConfigs.rewrite(
            dir, "tls_cert_path: " + tls.certFile() + "\ntls_key_path: " + tls.keyFile() + "\n");

    try (RunningServer server = RunningServer.start(config)) {
      int port = server.port();
      URI key = URI.create("https://127.0.0.1:" + port + "/key?v=113");

      HttpResponse<String> answer =
          trusting(tls)
              .send(HttpRequest.newBuilder(key).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"publicKey\":\"mkey:");
      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(key).build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  /** An ECDSA P-256 key in either PEM form completes a real TLS handshake with Java's client. */
  @ParameterizedTest
  @EnumSource(SelfSignedCertificate.KeyFormat.class)
  void canServeTlsWithAnEcdsaKey(SelfSignedCertificate.KeyFormat format) throws Exception {
    Path dir = Files.createDirectories(TestConfigs.ROOT.resolve("tls-ec-" + System.nanoTime()));
    SelfSignedCertificate tls = SelfSignedCertificate.writeTo(dir.resolve("certs"), "EC", format);
    assertThat(Files.readString(tls.keyFile()))
        .startsWith(
            switch (format) {
              case PKCS8 -> "-----BEGIN PRIVATE KEY-----";
              case OPENSSL_EC -> "-----BEGIN EC PARAMETERS-----";
              case TRADITIONAL -> "-----BEGIN EC PRIVATE KEY-----";
            });
    Path config =
        TestConfigs.rewrite(
            dir, "tls_cert_path: " + tls.certFile() + "\ntls_key_path: " + tls.keyFile() + "\n");

    try (RunningServer server = RunningServer.start(config)) {
      URI key = URI.create("https://127.0.0.1:" + server.port() + "/key?v=113");
      for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
        HttpResponse<String> answer =
            trusting(tls, protocol)
                .send(HttpRequest.newBuilder(key).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(protocol).isEqualTo(200);
        assertThat(answer.sslSession())
            .get()
            .satisfies(s -> assertThat(s.getProtocol()).isEqualTo(protocol));
      }
    }
  }

  @Test
  void cannotConfigureACertificateWithoutItsKey() {
    Path config = TestConfigs.write("tls-half", "tls_cert_path: /nonexistent/tls.crt\n");

    assertThatThrownBy(() -> ConfigLoader.load(config.toString(), Map.of()).config())
        .satisfiesAnyOf(
            e -> assertThat(e).isInstanceOf(ConfigException.class),
            e -> assertThat(e).hasRootCauseInstanceOf(ConfigException.class));
  }

  private static HttpClient trusting(SelfSignedCertificate tls) throws Exception {
    return trusting(tls, null);
  }

  private static HttpClient trusting(SelfSignedCertificate tls, String protocol) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("server", tls.certificate());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trust.getTrustManagers(), null);
    HttpClient.Builder client = HttpClient.newBuilder().sslContext(ssl);
    if (protocol != null) {
      javax.net.ssl.SSLParameters parameters = ssl.getDefaultSSLParameters();
      parameters.setProtocols(new String[] {protocol});
      client.sslParameters(parameters);
    }
    return client.build();
  }
}
