// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code dns.*}, as Headscale defines it: MagicDNS, nameservers, search domains and extra records.
 */
public class DnsSettings {
  public boolean magicDns = true;
  public String baseDomain = "";
  public boolean overrideLocalDns = true;
  public Nameservers nameservers = new Nameservers();
  public List<String> searchDomains = new ArrayList<>();
  public List<ExtraRecord> extraRecords = new ArrayList<>();

  /**
   * A JSON file of records, read at start and looked at again every {@code policy.poll_interval}
   * (and on SIGHUP); a change reaches every connected node. Not together with {@code
   * extra_records}.
   */
  public String extraRecordsPath;

  @JsonIgnore
  public Optional<Path> extraRecordsFile() {
    return extraRecordsPath == null || extraRecordsPath.isBlank()
        ? Optional.empty()
        : Optional.of(Path.of(extraRecordsPath).toAbsolutePath().normalize());
  }

  public static class Nameservers {
    public List<String> global = new ArrayList<>();

    /** Domain → resolvers for that domain only. */
    public Map<String, List<String>> split = new LinkedHashMap<>();
  }

  public static class ExtraRecord {
    public String name;
    public String type;
    public String value;
  }
}
