// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.tls;

import io.ledgerscale.server.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The certificate chain and private key of direct TLS ({@code tls_cert_path}, {@code tls_key_path})
 * as a key store. Read here rather than by Spring Boot's PEM support because an EC key in SEC1 form
 * ("EC PRIVATE KEY") may leave out its curve (RFC 5915 allows it when the certificate names it),
 * and Spring Boot then assumes P-384: a P-256 key read that way signs with the wrong curve and
 * every handshake fails with "Invalid CertificateVerify signature". Here the curve comes from the
 * certificate, and the key is checked against the certificate before the server starts.
 */
public final class PemKeyStore {
  public static final String ALIAS = "ledgerscale";
  private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
  private static final byte[] PROBE =
      "ledgerscale direct TLS key check".getBytes(StandardCharsets.UTF_8);

  private PemKeyStore() {}

  /**
   * A PKCS#12 key store in memory holding the key under {@link #ALIAS}, protected by {@code
   * password}.
   */
  public static KeyStore load(Path certFile, Path keyFile, char[] password) {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey());
    checkPair(key, chain.get(0).getPublicKey(), certFile, keyFile);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password, chain.toArray(new X509Certificate[0]));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(
          "tls_key_path: cannot use the key in " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /** The certificates of a PEM file, the server's own first. */
  static List<X509Certificate> certificates(Path certFile) {
    List<X509Certificate> chain = new ArrayList<>();
    for (PemObject pem : pemObjects(certFile, "tls_cert_path")) {
      if (pem.getType().equals("CERTIFICATE")) {
        try {
          chain.add(
              (X509Certificate)
                  CertificateFactory.getInstance("X.509")
                      .generateCertificate(new ByteArrayInputStream(pem.getContent())));
        } catch (CertificateException e) {
          throw new ConfigException(
              "tls_cert_path: "
                  + certFile
                  + " holds a certificate that cannot be read: "
                  + e.getMessage(),
              e);
        }
      }
    }
    if (chain.isEmpty()) {
      throw new ConfigException("tls_cert_path: " + certFile + " holds no PEM certificate");
    }
    return chain;
  }

  /**
   * The first private key in a PEM file: PKCS#8, PKCS#1 (RSA) or SEC1 (EC, its curve from the
   * certificate if left out).
   */
  static PrivateKey privateKey(Path keyFile, PublicKey certificateKey) {
    for (PemObject pem : pemObjects(keyFile, "tls_key_path")) {
      try {
        PrivateKeyInfo info =
            switch (pem.getType()) {
              case "PRIVATE KEY" -> PrivateKeyInfo.getInstance(pem.getContent());
              case "RSA PRIVATE KEY" ->
                  new PrivateKeyInfo(
                      new AlgorithmIdentifier(
                          PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                      RSAPrivateKey.getInstance(pem.getContent()));
              case "EC PRIVATE KEY" ->
                  sec1(ECPrivateKey.getInstance(pem.getContent()), certificateKey, keyFile);
              case "ENCRYPTED PRIVATE KEY" ->
                  throw new ConfigException(
                      "tls_key_path: "
                          + keyFile
                          + " is encrypted;"
                          + " the server cannot ask for its passphrase (decrypt it with openssl pkey)");
              default ->
                  null; // EC PARAMETERS (openssl ecparam -genkey writes them first) and the like
            };
        if (info != null) {
          return KeyFactory.getInstance(
                  algorithm(info.getPrivateKeyAlgorithm().getAlgorithm(), keyFile))
              .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        }
      } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
        throw new ConfigException(
            "tls_key_path: "
                + keyFile
                + " holds a "
                + pem.getType()
                + " that cannot be read: "
                + e.getMessage(),
            e);
      }
    }
    throw new ConfigException("tls_key_path: " + keyFile + " holds no PEM private key");
  }

  private static String algorithm(ASN1ObjectIdentifier oid, Path keyFile) {
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return "RSA";
    }
    if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      return "RSASSA-PSS";
    }
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      return "EC";
    }
    if (oid.equals(ED25519)) {
      return "Ed25519";
    }
    throw new ConfigException(
        "tls_key_path: " + keyFile + " holds a key of an unsupported kind (" + oid + ")");
  }

  private static PrivateKeyInfo sec1(ECPrivateKey key, PublicKey certificateKey, Path keyFile)
      throws IOException {
    ASN1Encodable curve = key.getParametersObject();
    if (curve == null) {
      SubjectPublicKeyInfo certificate =
          SubjectPublicKeyInfo.getInstance(certificateKey.getEncoded());
      if (!certificate.getAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
        throw new ConfigException(
            "tls_key_path: "
                + keyFile
                + " is an EC key but the certificate's key is "
                + certificateKey.getAlgorithm());
      }
      curve = certificate.getAlgorithm().getParameters();
    }
    return new PrivateKeyInfo(
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), key);
  }

  /**
   * A key that is not the certificate's would fail every handshake; say so before the server
   * starts.
   */
  static void checkPair(PrivateKey key, PublicKey certificateKey, Path certFile, Path keyFile) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return;
    }
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificateKey);
      verifier.update(PROBE);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new ConfigException(
          "tls_key_path: the key in "
              + keyFile
              + " is not the key of the certificate in "
              + certFile);
    }
  }

  private static List<PemObject> pemObjects(Path file, String key) {
    List<PemObject> objects = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PemReader pem = new PemReader(reader)) {
      for (PemObject o = pem.readPemObject(); o != null; o = pem.readPemObject()) {
        objects.add(o);
      }
    } catch (IOException e) {
      throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    return objects;
  }
}
