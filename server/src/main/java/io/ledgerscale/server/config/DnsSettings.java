// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
  public String extraRecordsPath;

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
