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

  public static class Server {
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
