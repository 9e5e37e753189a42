// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * tailcfg.DNSConfig. Route values must be lists (possibly empty), never null: the client drops null
 * routes.
 */
public record DNSConfig(
    @JsonProperty("Resolvers") List<Resolver> resolvers,
    @JsonProperty("Routes") Map<String, List<Resolver>> routes,
    @JsonProperty("FallbackResolvers") List<Resolver> fallbackResolvers,
    @JsonProperty("Domains") List<String> domains,
    @JsonProperty("Proxied") Boolean proxied,
    @JsonProperty("ExtraRecords") List<DNSRecord> extraRecords,
    @JsonProperty("CertDomains") List<String> certDomains) {

  /** dnstype.Resolver: an IP, IP:port, https:// (DoH) or tls:// address. */
  public record Resolver(@JsonProperty("Addr") String addr) {}

  /** tailcfg.DNSRecord (A/AAAA; Type empty means inferred from the value). */
  public record DNSRecord(
      @JsonProperty("Name") String name,
      @JsonProperty("Type") String type,
      @JsonProperty("Value") String value) {}
}
