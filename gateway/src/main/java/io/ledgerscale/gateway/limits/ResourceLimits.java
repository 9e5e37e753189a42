// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.limits;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Bounds on what anyone can make the server hold without credentials: how long a connection may
 * take to say something, how long a Noise session may sit idle, how many sessions one source and
 * everyone together may hold, and how fast one source may ask for keyless registrations. Handed
 * over by the server ({@code limits.*} in its configuration); see docs/limits.md.
 *
 * @param requestHeaderTimeout from a request's first byte to its last header byte
 * @param noRequestTimeout a kept-alive HTTP connection with no request in flight is closed after
 *     this
 * @param connectionIdleTimeout any HTTP connection with no traffic either way is closed after this,
 *     a Noise session too, even with a request open
 * @param noiseHandshakeTimeout from the /ts2021 upgrade to the first request inside the session
 * @param noiseIdleTimeout a session with no open request (no map stream) is closed after this
 * @param maxNoiseSessions all sessions together; 0 derives it from the process's fd limit
 * @param maxNoiseSessionsPerSource 0 for no per-source cap
 * @param registrationsPerMinutePerSource keyless registration requests, token-bucket rate; 0 for no
 *     rate limit
 * @param registrationBurstPerSource the bucket's size
 * @param maxPendingRegistrations keyless registrations waiting for a login, all sources
 * @param maxPendingRegistrationsPerSource the same, per source
 */
public record ResourceLimits(
    Duration requestHeaderTimeout,
    Duration noRequestTimeout,
    Duration connectionIdleTimeout,
    Duration noiseHandshakeTimeout,
    Duration noiseIdleTimeout,
    int maxNoiseSessions,
    int maxNoiseSessionsPerSource,
    double registrationsPerMinutePerSource,
    int registrationBurstPerSource,
    int maxPendingRegistrations,
    int maxPendingRegistrationsPerSource) {

  /**
   * File descriptors a WebSocket Noise session holds: its socket and the two pipes (two fds each)
   * between the WebSocket's messages and the in-process HTTP/2 server. It counts as this many
   * sessions towards the cap; a plain session (the upgrade every native client makes) holds only
   * its socket, which the HTTP/2 server reads through the decrypting conduits.
   */
  public static final int FDS_PER_WEBSOCKET_SESSION = 5;

  /** Kept free of Noise sessions at any load: admin API, database pool, logs, jar files. */
  static final int MIN_RESERVED_FDS = 512;

  public static ResourceLimits defaults() {
    return new ResourceLimits(
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        Duration.ofMinutes(2),
        0,
        2048,
        30,
        60,
        10_000,
        500);
  }

  public ResourceLimits {
    requirePositive("requestHeaderTimeout", requestHeaderTimeout);
    requirePositive("noRequestTimeout", noRequestTimeout);
    requirePositive("connectionIdleTimeout", connectionIdleTimeout);
    requirePositive("noiseHandshakeTimeout", noiseHandshakeTimeout);
    requirePositive("noiseIdleTimeout", noiseIdleTimeout);
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration");
    }
  }

  /**
   * The session cap in force: the configured one, or half of what the fd limit leaves after a
   * reserve of a tenth (at least {@value #MIN_RESERVED_FDS}) for everything else the server must
   * keep doing. Half, because the embedded relay's connections have a cap of the same size and a
   * node holds one of each. The Noise and relay caps count a WebSocket session as {@value
   * #FDS_PER_WEBSOCKET_SESSION}.
   */
  public int effectiveMaxNoiseSessions() {
    if (maxNoiseSessions > 0) {
      return maxNoiseSessions;
    }
    return sessionsFor(maxFileDescriptors());
  }

  static int sessionsFor(long fdLimit) {
    if (fdLimit <= 0) {
      return 10_000; // not a Unix JVM: no limit known, keep a finite one
    }
    long reserve = Math.max(MIN_RESERVED_FDS, fdLimit / 10);
    return (int) Math.max(16, Math.min(Integer.MAX_VALUE, (fdLimit - reserve) / 2));
  }

  static long maxFileDescriptors() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }
}
