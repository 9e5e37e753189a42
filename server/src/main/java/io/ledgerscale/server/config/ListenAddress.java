// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

/**
 * A Go-style listen address: "127.0.0.1:8080", "[::1]:8080", or ":8080" for every interface (host
 * null).
 */
public record ListenAddress(String host, int port) {

  public static ListenAddress parse(String key, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String s = text.trim();
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException(
          key + ": '" + text + "' needs a port, like 127.0.0.1:8080 or :8080");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": '" + text + "' has no numeric port");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException(key + ": port " + port + " is out of range");
    }
    return new ListenAddress(host.isEmpty() ? null : host, port);
  }
}
