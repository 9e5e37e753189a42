// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ledgerscale.gateway.limits.ResourceLimits;
import java.time.Duration;

/**
 * {@code limits.*}, Ledgerscale's own: what an unauthenticated client can make the server hold
 * (connections, Noise sessions, pending registrations). Every key has a safe default; see
 * docs/limits.md, "Connection and rate limits".
 */
public class LimitsSettings {
  private static final ResourceLimits DEFAULTS = ResourceLimits.defaults();

  public Http http = new Http();
  public Noise noise = new Noise();
  public Registration registration = new Registration();

  public static class Http {
    /** From a request's first byte to the end of its headers. */
    public String requestHeaderTimeout = go(DEFAULTS.requestHeaderTimeout());

    /** A connection with no request in flight (before the first, between keep-alive ones). */
    public String noRequestTimeout = go(DEFAULTS.noRequestTimeout());

    /** Any connection with no traffic either way. */
    public String idleTimeout = go(DEFAULTS.connectionIdleTimeout());
  }

  public static class Noise {
    /** From the /ts2021 upgrade to the first request inside the session. */
    public String handshakeTimeout = go(DEFAULTS.noiseHandshakeTimeout());

    /** A session with no open request (no map stream) is closed after this. */
    public String idleTimeout = go(DEFAULTS.noiseIdleTimeout());

    /** All sessions together; 0 derives the cap from the process's file-descriptor limit. */
    public int maxSessions = DEFAULTS.maxNoiseSessions();

    /** Sessions from one IPv4 address or IPv6 /64; 0 for no cap. */
    public int maxSessionsPerSource = DEFAULTS.maxNoiseSessionsPerSource();
  }

  public static class Registration {
    /** Keyless registration requests one source may make per minute (token bucket); 0: no limit. */
    public double perSourcePerMinute = DEFAULTS.registrationsPerMinutePerSource();

    /** How many a source may make at once before the rate applies. */
    public int perSourceBurst = DEFAULTS.registrationBurstPerSource();

    /** Keyless registrations waiting for a login, all sources; 0 for no cap. */
    public int maxPending = DEFAULTS.maxPendingRegistrations();

    /** The same, per source; 0 for no cap. */
    public int maxPendingPerSource = DEFAULTS.maxPendingRegistrationsPerSource();
  }

  /** The limits as the gateway takes them; a malformed or non-positive duration is an error. */
  @JsonIgnore
  public ResourceLimits resolve() {
    if (noise.maxSessions < 0
        || noise.maxSessionsPerSource < 0
        || registration.perSourcePerMinute < 0
        || registration.perSourceBurst < 0
        || registration.maxPending < 0
        || registration.maxPendingPerSource < 0) {
      throw new ConfigException("limits.*: counts and rates must be 0 (no limit) or positive");
    }
    return new ResourceLimits(
        positive("limits.http.request_header_timeout", http.requestHeaderTimeout),
        positive("limits.http.no_request_timeout", http.noRequestTimeout),
        positive("limits.http.idle_timeout", http.idleTimeout),
        positive("limits.noise.handshake_timeout", noise.handshakeTimeout),
        positive("limits.noise.idle_timeout", noise.idleTimeout),
        noise.maxSessions,
        noise.maxSessionsPerSource,
        registration.perSourcePerMinute,
        registration.perSourceBurst,
        registration.maxPending,
        registration.maxPendingPerSource);
  }

  private static Duration positive(String key, String value) {
    Duration d = GoDuration.parse(key, value);
    if (d == null || d.isZero() || d.isNegative()) {
      // a zero timeout would mean "never": the one setting these keys exist to prevent
      throw new ConfigException(key + ": must be a positive duration such as 30s");
    }
    return d;
  }

  private static String go(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
  }
}
