// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.gateway.tailcfg.DNSConfig;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The DNS configuration every node gets (MagicDNS, nameservers, search domains, extra records). */
final class DnsConfiguration {
  private static final List<String> REVERSE_ZONES = reverseZones();

  private final MapSettings settings;

  DnsConfiguration(MapSettings settings) {
    this.settings = settings;
  }

  /** {@code dns.extra_records}: set by the server at start and whenever its file changes. */
  private volatile List<DNSConfig.DNSRecord> extraRecords = List.of();

  void extraRecords(List<DNSConfig.DNSRecord> records) {
    extraRecords = List.copyOf(records);
  }

  /**
   * The DNS configuration alone, for every stream when it changes (the client replaces its own).
   */
  MapResponse dnsUpdate() {
    return new MapResponse(
        null, null, null, null, null, null, null, dns(), null, null, null, null, null, null);
  }

  DNSConfig dns() {
    List<DNSConfig.Resolver> global =
        settings.globalNameservers().stream().map(DNSConfig.Resolver::new).toList();
    Map<String, List<DNSConfig.Resolver>> routes = new LinkedHashMap<>();
    settings
        .splitNameservers()
        .forEach(
            (domain, servers) ->
                routes.put(domain, servers.stream().map(DNSConfig.Resolver::new).toList()));
    List<String> domains = new ArrayList<>();
    if (settings.magicDns() && !settings.baseDomain().isEmpty()) {
      domains.add(settings.baseDomain());
      // answered by the client's own resolver; empty lists, never null (a null route is dropped by
      // the client)
      routes.putIfAbsent(settings.baseDomain() + ".", List.of());
      REVERSE_ZONES.forEach(z -> routes.putIfAbsent(z, List.of()));
    }
    domains.addAll(settings.searchDomains());
    return new DNSConfig(
        settings.overrideLocalDns() && !global.isEmpty() ? global : null,
        routes.isEmpty() ? null : routes,
        !settings.overrideLocalDns() && !global.isEmpty() ? global : null,
        domains.isEmpty() ? null : domains,
        settings.magicDns(),
        extraRecords.isEmpty() ? null : extraRecords,
        null);
  }

  String domain() {
    return settings.baseDomain().isEmpty() ? "ledgerscale.net" : settings.baseDomain();
  }

  /** 100.64.0.0/10 and fd7a:115c:a1e0::/48, the tailnet's address ranges, as reverse DNS zones. */
  private static List<String> reverseZones() {
    List<String> z = new ArrayList<>();
    for (int i = 64; i <= 127; i++) {
      z.add(i + ".100.in-addr.arpa.");
    }
    z.add("0.e.1.a.c.5.1.1.a.7.d.f.ip6.arpa.");
    return List.copyOf(z);
  }
}
