// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.status;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

/**
 * The version {@code GET /version} reports. Tools written for Headscale read it to decide which API
 * shapes to use: Headplane 0.7 refuses servers without {@code /version} ("requires Headscale 0.27.0
 * or newer") and, below 0.28.0, falls back to the old node tags, per-user pre-auth key listing and
 * expiry by key. So the version is the Headscale release whose API this server answers, with
 * Ledgerscale's own version as semver build metadata (after {@code +}), which such tools ignore
 * when they compare.
 */
public final class ServerVersion {
  /**
   * The Headscale release whose REST shapes this server answers: flat node tags, stable pre-auth
   * key ids, owners fixed at registration, auth requests (register, approve, reject).
   */
  public static final String HEADSCALE_API = "0.29.0";

  static final String POM_PROPERTIES =
      "/META-INF/maven/io.ledgerscale/ledgerscale-server/pom.properties";

  private ServerVersion() {}

  /** For example {@code v0.29.0+ledgerscale.0.1.0}. */
  public static String reported() {
    return "v" + HEADSCALE_API + "+ledgerscale." + buildMetadata(ledgerscale());
  }

  /** Ledgerscale's own version, from the jar's Maven metadata; "dev" when run from the sources. */
  public static String ledgerscale() {
    try (InputStream in = ServerVersion.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "dev");
      }
    } catch (IOException e) {
      // fall through to "dev"
    }
    String manifest = ServerVersion.class.getPackage().getImplementationVersion();
    return manifest != null ? manifest : "dev";
  }

  /** Semver build metadata allows only ASCII letters, digits, dots and dashes. */
  static String buildMetadata(String version) {
    String cleaned = version.replaceAll("[^0-9A-Za-z.-]", "-");
    return cleaned.isEmpty() ? "dev" : cleaned;
  }

  /** Go's names for the platform (GOOS), which the field Headscale fills holds. */
  static String os() {
    String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (name.startsWith("linux")) {
      return "linux";
    }
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return "darwin";
    }
    if (name.startsWith("windows")) {
      return "windows";
    }
    return name.isEmpty() ? "unknown" : name.replace(' ', '-');
  }

  /** Go's names for the architecture (GOARCH). */
  static String arch() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> arch.isEmpty() ? "unknown" : arch;
    };
  }
}
