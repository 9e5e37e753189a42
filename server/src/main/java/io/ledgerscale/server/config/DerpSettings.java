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
    if (!server.meshPeers().isEmpty()
        && (server.meshKeyPath == null || server.meshKeyPath.isBlank())) {
      throw new ConfigException(
          "derp.server.mesh_with: meshing needs derp.server.mesh_key_path, a file (mode 0600) with"
              + " the 64 hex digits every instance shares");
    }
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

    /**
     * The other instances' relays, as URLs of their listeners (http or https; {@code /derp} is
     * added when the URL has no path), checked: absolute, no user info, query or fragment.
     */
    public List<java.net.URI> meshPeers() {
      List<java.net.URI> out = new ArrayList<>();
      for (String u : meshWith == null ? List.<String>of() : meshWith) {
        java.net.URI uri;
        try {
          uri = new java.net.URI(u == null ? "" : u.strip());
        } catch (java.net.URISyntaxException e) {
          throw new ConfigException("derp.server.mesh_with: '" + u + "' is not a URL");
        }
        String scheme = uri.getScheme();
        if (scheme == null
            || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
            || uri.getHost() == null
            || uri.getRawUserInfo() != null
            || uri.getRawQuery() != null
            || uri.getRawFragment() != null) {
          throw new ConfigException(
              "derp.server.mesh_with: '"
                  + u
                  + "' must be an http(s) URL of another instance's listener, such as"
                  + " https://ledgerscale-2.internal:443");
        }
        out.add(uri);
      }
      return out;
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

    /** Other instances' relays to mesh with (derper's --mesh-with); this one may be listed too. */
    public List<String> meshWith = new ArrayList<>();

    /**
     * The mesh key file (derper's --mesh-psk-file): 64 hex digits, the same on every instance,
     * owner-only. Without it no connection is a mesh peer.
     */
    public String meshKeyPath;
  }
}
