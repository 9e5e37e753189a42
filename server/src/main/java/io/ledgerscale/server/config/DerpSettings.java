// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import java.util.ArrayList;
import java.util.List;

/** {@code derp.*}: which DERP maps clients get, and Headscale's embedded DERP server settings. */
public class DerpSettings {
  public Server server = new Server();
  public List<String> urls =
      new ArrayList<>(List.of("https://controlplane.tailscale.com/derpmap/default"));
  public List<String> paths = new ArrayList<>();

  /** Not supported (the map is read once, at start): see {@link HeadscaleKeys}. */
  public boolean autoUpdateEnabled;

  public String updateFrequency = "3h";

  /** Mistakes in {@code derp.server.*} found at start; nothing is checked while it is off. */
  void check() {
    if (!server.enabled) {
      return;
    }
    if (server.regionId < 1 || server.regionId > 65535) {
      throw new ConfigException(
          "derp.server.region_id: "
              + server.regionId
              + " is out of range (900-999 are for"
              + " self-hosted relays)");
    }
    if (server.regionCode == null || !server.regionCode.matches("[A-Za-z0-9._-]{1,32}")) {
      throw new ConfigException(
          "derp.server.region_code: '"
              + server.regionCode
              + "' must be 1-32 letters, digits,"
              + " '.', '_' or '-'");
    }
    if (server.regionName == null || server.regionName.isBlank()) {
      throw new ConfigException("derp.server.region_name: must not be empty");
    }
    server.stunAddress();
    checkAddress("derp.server.ipv4", server.ipv4, false);
    checkAddress("derp.server.ipv6", server.ipv6, true);
  }

  /** Empty (clients resolve the host), "none" (that family off), or an address literal. */
  private static void checkAddress(String key, String value, boolean v6) {
    if (value == null || value.isBlank() || value.equals("none")) {
      return;
    }
    boolean ok;
    if (v6) {
      try {
        // a literal with ':' is parsed, never looked up
        ok =
            value.contains(":")
                && java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address;
      } catch (java.net.UnknownHostException e) {
        ok = false;
      }
    } else {
      ok =
          value.matches(
              "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    }
    if (!ok) {
      throw new ConfigException(
          key + ": '" + value + "' is not an IPv" + (v6 ? "6" : "4") + " address (or \"none\")");
    }
  }

  public static class Server {
    /**
     * Where STUN listens; empty when {@code stun_listen_addr} is "" (clients are then told the
     * region has no STUN).
     */
    public java.util.Optional<ListenAddress> stunAddress() {
      if (stunListenAddr == null || stunListenAddr.isBlank()) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(
          ListenAddress.parse("derp.server.stun_listen_addr", stunListenAddr));
    }

    public boolean enabled;
    public int regionId = 999;
    public String regionCode = "headscale";
    public String regionName = "Headscale Embedded DERP";
    public boolean verifyClients = true;
    public String stunListenAddr = "0.0.0.0:3478";
    public String privateKeyPath;
    public boolean automaticallyAddEmbeddedDerpRegion = true;
    public String ipv4;
    public String ipv6;
  }
}
