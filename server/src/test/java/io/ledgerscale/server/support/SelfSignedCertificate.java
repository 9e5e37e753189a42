// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.support;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** A certificate for 127.0.0.1 written as PEM files, for tests of direct TLS. */
public record SelfSignedCertificate(X509Certificate certificate, Path certFile, Path keyFile) {

  /** How the private key is written. */
  public enum KeyFormat {
    /**
     * What BouncyCastle's PEM writer gives: PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY")
     * without the curve, which RFC 5915 allows when the certificate names it.
     */
    TRADITIONAL,
    /**
     * What {@code openssl ecparam -genkey} writes: an EC PARAMETERS block, then SEC1 with curve and
     * public key.
     */
    OPENSSL_EC,
    /** "PRIVATE KEY", whatever the algorithm. */
    PKCS8
  }

  public static SelfSignedCertificate writeTo(Path dir) throws Exception {
    return writeTo(dir, "RSA", KeyFormat.TRADITIONAL);
  }

  /** A certificate for an RSA 2048 or an EC P-256 key ({@code "RSA"} or {@code "EC"}). */
  public static SelfSignedCertificate writeTo(Path dir, String algorithm, KeyFormat format)
      throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      generator.initialize(2048);
    }
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name("CN=127.0.0.1");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            name,
            keys.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder(
                            algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                        .build(keys.getPrivate())));
    Files.createDirectories(dir);
    Path certFile = dir.resolve("tls.crt");
    Path keyFile = dir.resolve("tls.key");
    Files.writeString(certFile, pem(cert));
    Files.writeString(
        keyFile,
        switch (format) {
          case PKCS8 -> pem(new JcaPKCS8Generator(keys.getPrivate(), null));
          case OPENSSL_EC -> opensslEc(keys);
          case TRADITIONAL -> pem(keys.getPrivate());
        });
    return new SelfSignedCertificate(cert, certFile, keyFile);
  }

  private static String opensslEc(KeyPair keys) throws IOException {
    SubjectPublicKeyInfo publicKey =
        SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    ASN1Primitive curve = publicKey.getAlgorithm().getParameters().toASN1Primitive();
    BigInteger d = ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS();
    ECPrivateKey sec1 = new ECPrivateKey(256, d, publicKey.getPublicKeyData(), curve);
    return pem(new PemObject("EC PARAMETERS", curve.getEncoded()))
        + pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(o);
    }
    return out.toString();
  }
}
