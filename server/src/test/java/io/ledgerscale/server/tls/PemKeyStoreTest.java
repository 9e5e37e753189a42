// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.server.config.ConfigException;
import io.ledgerscale.server.support.SelfSignedCertificate;
import io.ledgerscale.server.support.SelfSignedCertificate.KeyFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemKeyStoreTest {
  private static final char[] PASSWORD = "test".toCharArray();

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void shouldReadAP256KeyOnItsOwnCurveInEveryForm(KeyFormat format) throws Exception {
    SelfSignedCertificate tls = SelfSignedCertificate.writeTo(tmp.resolve("ec"), "EC", format);

    KeyStore store = PemKeyStore.load(tls.certFile(), tls.keyFile(), PASSWORD);

    ECPrivateKey key = (ECPrivateKey) store.getKey(PemKeyStore.ALIAS, PASSWORD);
    assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(tls.certificate());
    verifier.update(new byte[] {1, 2, 3});
    assertThat(verifier.verify(signer.sign())).isTrue();
    assertThat(store.getCertificateChain(PemKeyStore.ALIAS)).containsExactly(tls.certificate());
  }

  @ParameterizedTest
  @EnumSource(
      value = KeyFormat.class,
      names = {"TRADITIONAL", "PKCS8"})
  void canReadAnRsaKey(KeyFormat format) throws Exception {
    SelfSignedCertificate tls = SelfSignedCertificate.writeTo(tmp.resolve("rsa"), "RSA", format);

    assertThat(
            PemKeyStore.load(tls.certFile(), tls.keyFile(), PASSWORD)
                .getKey(PemKeyStore.ALIAS, PASSWORD)
                .getAlgorithm())
        .isEqualTo("RSA");
  }

  @Test
  void cannotStartWithAKeyThatIsNotTheCertificates() throws Exception {
    SelfSignedCertificate one =
        SelfSignedCertificate.writeTo(tmp.resolve("one"), "EC", KeyFormat.TRADITIONAL);
    SelfSignedCertificate other =
        SelfSignedCertificate.writeTo(tmp.resolve("other"), "EC", KeyFormat.TRADITIONAL);

    assertThatThrownBy(() -> PemKeyStore.load(one.certFile(), other.keyFile(), PASSWORD))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "tls_key_path: the key in "
                + other.keyFile()
                + " is not the key of the certificate in "
                + one.certFile());
  }

  @Test
  void cannotReadAFileWithoutAKeyOrAnEncryptedKey() throws Exception {
    SelfSignedCertificate tls =
        SelfSignedCertificate.writeTo(tmp.resolve("c"), "EC", KeyFormat.PKCS8);
    Path encrypted =
        Files.writeString(
            tmp.resolve("enc.key"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemKeyStore.load(tls.certFile(), tls.certFile(), PASSWORD))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("holds no PEM private key");
    assertThatThrownBy(() -> PemKeyStore.load(tls.keyFile(), tls.keyFile(), PASSWORD))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("holds no PEM certificate");
    assertThatThrownBy(() -> PemKeyStore.load(tls.certFile(), encrypted, PASSWORD))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is encrypted");
  }
}
