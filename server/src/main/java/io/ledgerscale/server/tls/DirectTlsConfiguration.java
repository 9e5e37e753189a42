// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.tls;

import io.ledgerscale.server.config.LedgerscaleConfig;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Direct TLS from {@code tls_cert_path} and {@code tls_key_path}: the web server uses the SSL
 * bundle registered here (the configuration maps those keys to {@code server.ssl.bundle}). The key
 * store lives in memory only, under a password made up at each start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "server.ssl.bundle", havingValue = DirectTlsConfiguration.BUNDLE)
public class DirectTlsConfiguration {
  public static final String BUNDLE = "ledgerscale-direct-tls";

  @Bean
  public SslBundleRegistrar directTlsBundle(LedgerscaleConfig config) {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = Base64.getEncoder().encodeToString(random);
    KeyStore store =
        PemKeyStore.load(
            Path.of(config.tlsCertPath).toAbsolutePath(),
            Path.of(config.tlsKeyPath).toAbsolutePath(),
            password.toCharArray());
    SslBundle bundle =
        SslBundle.of(
            SslStoreBundle.of(store, password, null), SslBundleKey.of(password, PemKeyStore.ALIAS));
    return registry -> registry.registerBundle(BUNDLE, bundle);
  }
}
