// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Headscale's {@code server_url}, the address clients reach this server at, checked and normalised
 * once where the configuration is read: http or https, a host, no user info, query or fragment, and
 * no trailing slash, so every URL built from it is {@code base() + "/path"}. The server publishes
 * one as a bean; the gateway and the admin API take it from there and never parse the text again.
 */
public final class ServerUrl {

  /** Longer than any host name (253) plus a path prefix; a value past it is a mistake. */
  public static final int MAX_LENGTH = 1024;

  /** Headscale's AuthURL path: {@code <server_url>/register/<auth id>}. */
  public static final String REGISTER_PATH = "/register/";

  /** Headscale's SSH check page: {@code <server_url>/auth/<check id>}. */
  public static final String SSH_CHECK_PAGE_PATH = "/auth/";

  /** Headscale's OIDC redirect URI path, already registered at operators' identity providers. */
  public static final String OIDC_CALLBACK_PATH = "/oidc/callback";

  private final String base;
  private final URI uri;

  private ServerUrl(String base, URI uri) {
    this.base = base;
    this.uri = uri;
  }

  /**
   * {@code text} checked and normalised.
   *
   * @throws IllegalArgumentException saying what is wrong with it (without the key's name, which
   *     the caller adds)
   */
  public static ServerUrl parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("is empty; set the URL clients reach this server at");
    }
    String t = text.strip();
    if (t.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(t);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + t + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "'" + t + "' must start with http:// or https:// (e.g. https://ledgerscale.example.com)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("'" + t + "' names no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("'" + t + "' must not carry a user name or password");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("'" + t + "' must not have a query (?) or fragment (#)");
    }
    String base = t;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return new ServerUrl(base, uri);
  }

  /** The URL without a trailing slash: {@code base() + "/path"} is a URL on this server. */
  public String base() {
    return base;
  }

  /** {@code path} (starting with a slash) on this server. */
  public String resolve(String path) {
    return base + path;
  }

  /** The host as the URL names it (an IPv6 literal keeps its brackets). */
  public String host() {
    return uri.getHost();
  }

  /** The port clients connect to: the URL's own, else the scheme's (80 for http, 443 for https). */
  public int port() {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return isHttps() ? 443 : 80;
  }

  public boolean isHttps() {
    return uri.getScheme().equalsIgnoreCase("https");
  }

  /**
   * The base for URLs a client fetches over its Noise connection: always https, because tailscaled
   * sends such a fetch through Noise only for an https URL (any other goes out as a plain request
   * it cannot authenticate), so a server behind plain HTTP still names itself https there.
   */
  public String noiseBase() {
    return isHttps() ? base : "https://" + base.substring(base.indexOf("://") + 3);
  }

  /** An interactive client's AuthURL (Headscale's {@code /register/<auth id>}). */
  public String registerUrl(String authId) {
    return resolve(REGISTER_PATH + authId);
  }

  /** The auth id in one of {@link #registerUrl}'s URLs, or null when {@code url} is none. */
  public String authIdIn(String url) {
    String prefix = resolve(REGISTER_PATH);
    return url == null || !url.startsWith(prefix) ? null : url.substring(prefix.length());
  }

  /** The page a user opens to pass an SSH check. */
  public String sshCheckPageUrl(String checkId) {
    return resolve(SSH_CHECK_PAGE_PATH + checkId);
  }

  /** The OIDC redirect URI. */
  public String oidcCallbackUrl() {
    return resolve(OIDC_CALLBACK_PATH);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerUrl other && other.base.equals(base);
  }

  @Override
  public int hashCode() {
    return base.hashCode();
  }

  @Override
  public String toString() {
    return base;
  }
}
