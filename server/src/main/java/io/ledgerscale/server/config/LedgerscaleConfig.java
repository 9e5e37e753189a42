// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's configuration, with Headscale's config.yaml keys (snake_case in the file) so an
 * operator's existing file works, plus Ledgerscale's own {@code data_dir}. Fields are public and
 * mutable because they are bound from YAML by Jackson and overridden from the environment; nothing
 * changes them after {@link ConfigLoader} returns. Keys Headscale has but Ledgerscale does not act
 * on (gRPC, ACME, tuning, ...) are accepted so the file loads.
 */
public class LedgerscaleConfig {
  public String serverUrl = "http://127.0.0.1:8080";
  public String listenAddr = "127.0.0.1:8080";

  /** /health and Prometheus' /metrics (docs/metrics.md); empty disables it. */
  public String metricsListenAddr = "127.0.0.1:9090";

  public String grpcListenAddr = "";
  public boolean grpcAllowInsecure;
  public List<String> trustedProxies = new ArrayList<>();

  /** Where the embedded database, keys and the initial API key file live. */
  public String dataDir = "./data";

  public boolean disableCheckUpdates;

  /** Headscale's deprecated spelling of {@code node.ephemeral.inactivity_timeout}. */
  public String ephemeralNodeInactivityTimeout;

  public String unixSocket = "";
  public String unixSocketPermission = "0770";
  public String acmeUrl;
  public String acmeEmail;
  public String tlsLetsencryptHostname;
  public String tlsLetsencryptCacheDir;
  public String tlsLetsencryptChallengeType;
  public String tlsLetsencryptListen;
  public String tlsCertPath;
  public String tlsKeyPath;

  public Noise noise = new Noise();
  public Prefixes prefixes = new Prefixes();
  public DerpSettings derp = new DerpSettings();
  public NodeSettings node = new NodeSettings();
  public DatabaseSettings database = new DatabaseSettings();
  public Log log = new Log();
  public Policy policy = new Policy();
  public DnsSettings dns = new DnsSettings();
  public OidcSettings oidc = new OidcSettings();
  public Toggle logtail = new Toggle(false);
  public Toggle taildrop = new Toggle(true);
  public Toggle autoUpdate = new Toggle(false);
  public Cli cli = new Cli();
  public LimitsSettings limits = new LimitsSettings();
  public AuditLedgerSettings auditLedger = new AuditLedgerSettings();
  public AuditHistorySettings auditHistory = new AuditHistorySettings();
  public Map<String, Object> tuning = new LinkedHashMap<>();

  /** Headscale's {@code preauth_keys.*}; accepted so the file loads (see {@link HeadscaleKeys}). */
  public Map<String, Object> preauthKeys = new LinkedHashMap<>();

  /** {@code server_url} checked and normalised; every module reads it through this one value. */
  @JsonIgnore
  public ServerUrl serverUrl() {
    try {
      return ServerUrl.parse(serverUrl);
    } catch (IllegalArgumentException invalid) {
      throw new ConfigException("server_url: " + invalid.getMessage(), invalid);
    }
  }

  /** The data directory, absolute. */
  @JsonIgnore
  public Path dataDirectory() {
    return Path.of(dataDir == null || dataDir.isBlank() ? "./data" : dataDir)
        .toAbsolutePath()
        .normalize();
  }

  /** A configured file path, or the default file in the data directory when none is set. */
  @JsonIgnore
  public Path pathOr(String configured, String defaultFileInDataDir) {
    return configured == null || configured.isBlank()
        ? dataDirectory().resolve(defaultFileInDataDir)
        : Path.of(configured).toAbsolutePath().normalize();
  }

  @JsonIgnore
  public Path noisePrivateKeyPath() {
    return pathOr(noise.privateKeyPath, "noise_private.key");
  }

  /** The embedded relay's key; default data_dir/derp_server_private.key. */
  @JsonIgnore
  public Path derpPrivateKeyPath() {
    return pathOr(derp.server.privateKeyPath, "derp_server_private.key");
  }

  @JsonIgnore
  public Path auditSigningKeyPath() {
    return pathOr(auditLedger.signingKeyPath, "audit_signing.key");
  }

  @JsonIgnore
  public ListenAddress listenAddress() {
    return ListenAddress.parse("listen_addr", listenAddr);
  }

  /**
   * How long an ephemeral node may be offline before it is deleted; the new key wins over the
   * deprecated one.
   */
  @JsonIgnore
  public Duration ephemeralInactivityTimeout() {
    String value = node.ephemeral.inactivityTimeout;
    if ((value == null || value.isBlank()) && ephemeralNodeInactivityTimeout != null) {
      value = ephemeralNodeInactivityTimeout;
    }
    return GoDuration.parse("node.ephemeral.inactivity_timeout", value);
  }

  /**
   * Headscale's {@code tuning.batch_change_delay}: how long changes to the map are gathered before
   * each stream gets them as one message (the first change after a quiet spell goes out at once).
   * Empty when not set.
   */
  @JsonIgnore
  public java.util.Optional<Duration> batchChangeDelay() {
    Object value = tuning.get("batch_change_delay");
    if (value == null) {
      return java.util.Optional.empty();
    }
    Duration d = GoDuration.parse("tuning.batch_change_delay", value.toString());
    if (d == null || d.isNegative() || d.compareTo(MAX_BATCH_CHANGE_DELAY) > 0) {
      throw new ConfigException(
          "tuning.batch_change_delay: must be a duration from 0s to "
              + MAX_BATCH_CHANGE_DELAY.toSeconds()
              + "s, such as 200ms");
    }
    return java.util.Optional.of(d);
  }

  /** Longer, and a change would wait past the clients' own patience for a map message. */
  static final Duration MAX_BATCH_CHANGE_DELAY = Duration.ofSeconds(10);

  /** Default key expiry for user-owned nodes; empty when nodes never expire ("0"). */
  @JsonIgnore
  public java.util.Optional<Duration> nodeExpiry() {
    Duration d = GoDuration.parse("node.expiry", node.expiry);
    return d == null || d.isZero() ? java.util.Optional.empty() : java.util.Optional.of(d);
  }

  /**
   * Checks {@code prefixes.*} as the tailnet will: inside Tailscale's ranges (Headscale only warns;
   * a client would not use an address outside them), written as networks, and a known allocation.
   */
  @JsonIgnore
  public void addressPools() {
    try {
      io.ledgerscale.domain.tailnet.AddressPool.ipv4(prefixes.v4);
      io.ledgerscale.domain.tailnet.AddressPool.ipv6(prefixes.v6);
      io.ledgerscale.domain.tailnet.AddressPool.allocation(prefixes.allocation);
    } catch (IllegalArgumentException invalid) {
      throw new ConfigException(invalid.getMessage(), invalid);
    }
  }

  public static class Noise {
    /** TS2021 server key; generated on first start. Default: data_dir/noise_private.key. */
    public String privateKeyPath;
  }

  public static class Prefixes {
    public String v4 = "100.64.0.0/10";
    public String v6 = "fd7a:115c:a1e0::/48";

    /** sequential or random. */
    public String allocation = "sequential";
  }

  public static class NodeSettings {
    /** Default key expiry of user-owned nodes; "0" never expires. Tagged nodes are exempt. */
    public String expiry = "0";

    public Ephemeral ephemeral = new Ephemeral();
    public Map<String, Object> routes = new LinkedHashMap<>();

    public static class Ephemeral {
      public String inactivityTimeout = "30m";
    }
  }

  public static class Log {
    /** trace, debug, info, warn, error (fatal and panic are treated as error). */
    public String level = "info";

    /** text or json. */
    public String format = "text";
  }

  public static class Policy {
    /**
     * file or database. In file mode with a {@code path}, the server reads the policy from that
     * file (on start and whenever it changes) and refuses changes through the API; with no path
     * there is no file, and the policy is managed through the API as in database mode.
     */
    public String mode = "file";

    public String path = "";

    /** Ledgerscale's own: how often the policy file is looked at for changes. */
    public String pollInterval = "1s";

    /**
     * Ledgerscale's own: the domains associated with the tailnet, which {@code user:*@domain} and
     * SSH's {@code localpart:*@domain} may name (Tailscale knows them from its account). Empty: any
     * domain some user's address is in.
     */
    public List<String> tailnetDomains = new ArrayList<>();

    /** Ledgerscale's own: the user {@code autogroup:owner} names; empty: none (refused). */
    public String owner = "";

    /**
     * Ledgerscale's own: the users {@code autogroup:admin} names besides the owner; with neither,
     * the autogroup is refused.
     */
    public List<String> admins = new ArrayList<>();

    /** At most this many domains, and admins. */
    static final int TAILNET_SETTINGS_MAX = 100;

    /**
     * The tailnet's domains, owner and admins, checked: each domain a bare domain name, each user
     * written as the policy writes one ({@code alice@example.com}, {@code alice@}) so it resolves
     * alike, within the bounds a domain name and an address have.
     */
    @JsonIgnore
    public TailnetSettings tailnetSettings() {
      if (tailnetDomains.size() > TAILNET_SETTINGS_MAX || admins.size() > TAILNET_SETTINGS_MAX) {
        throw new ConfigException(
            "policy.tailnet_domains, policy.admins: at most " + TAILNET_SETTINGS_MAX + " each");
      }
      for (String d : tailnetDomains) {
        if (d == null
            || d.isBlank()
            || d.length() > InputBounds.HOSTNAME_MAX
            || d.contains("@")
            || d.contains("*")
            || d.contains(":")) {
          throw new ConfigException("policy.tailnet_domains: \"" + d + "\" is not a domain");
        }
      }
      List<String> users = new ArrayList<>(admins);
      if (owner != null && !owner.isBlank()) {
        users.add(owner);
      }
      for (String u : users) {
        if (u == null
            || !u.contains("@")
            || u.contains("*")
            || u.length() > InputBounds.EMAIL_MAX) {
          throw new ConfigException(
              "policy.owner, policy.admins: \"" + u + "\" is not a user (alice@example.com)");
        }
      }
      return new TailnetSettings(tailnetDomains, owner, admins);
    }

    /** True when the policy comes from a file. */
    @JsonIgnore
    public boolean fromFile() {
      return "file".equalsIgnoreCase(mode) && path != null && !path.isBlank();
    }

    /** The policy file, absolute. */
    @JsonIgnore
    public Path file() {
      return Path.of(path).toAbsolutePath().normalize();
    }

    @JsonIgnore
    public Duration pollEvery() {
      Duration d = GoDuration.parse("policy.poll_interval", pollInterval);
      if (d == null || d.isZero() || d.isNegative()) {
        throw new ConfigException("policy.poll_interval: must be a positive duration such as 1s");
      }
      return d;
    }
  }

  public static class Toggle {
    public boolean enabled;

    public Toggle() {}

    public Toggle(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Where the CLI finds the server when run on another machine. */
  public static class Cli {
    public String address = "";
    public String apiKey = "";
    public String timeout = "5s";
    public boolean insecure;
  }

  /**
   * Whether the server terminates TLS itself; a certificate without its key (or the reverse) is an
   * error.
   */
  public boolean directTls() {
    boolean cert = tlsCertPath != null && !tlsCertPath.isBlank();
    boolean key = tlsKeyPath != null && !tlsKeyPath.isBlank();
    if (cert != key) {
      throw new ConfigException("tls_cert_path and tls_key_path must be set together");
    }
    return cert;
  }
}
