// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.enrollment.EnrollNodeCommand;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.tailcfg.CapabilityVersion;
import io.ledgerscale.gateway.tailcfg.Hostinfo;
import io.ledgerscale.gateway.tailcfg.RegisterRequest;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What a RegisterRequest asks for, decided from the request alone (no state): a pre-auth key
 * registration, an interactive login (new or follow-up), a logout, or a malformed request. The
 * machine key always comes from the Noise handshake, never from the body.
 */
public sealed interface RegisterIntent {

  /**
   * A pre-auth key registration. The command's {@code oldNodeKey} is the client's OldNodeKey, null
   * when it sent none (all zeros): with one, the request may be a key rotation of a node we know.
   */
  record WithPreAuthKey(EnrollNodeCommand command) implements RegisterIntent {}

  /**
   * No credential: either a tailscaled restart of a known node, or the start of an interactive
   * login.
   */
  record Interactive(RequestRegistrationCommand command) implements RegisterIntent {}

  /**
   * The client waits on the AuthURL it was given earlier. {@code restart} asks anew if that
   * registration is gone.
   */
  record Followup(String authUrl, RequestRegistrationCommand restart) implements RegisterIntent {}

  /** Expiry in the past: the client logs out. */
  record Logout(String nodeKey) implements RegisterIntent {}

  record Malformed(String reason) implements RegisterIntent {}

  static RegisterIntent of(String machineKey, RegisterRequest req, Clock clock) {
    if (req.version() < CapabilityVersion.MINIMUM_SUPPORTED) {
      return new Malformed("unsupported client version: " + req.version());
    }
    if (KeyText.parse(KeyText.NODE_PUBLIC, req.nodeKey())
        .filter(k -> !KeyText.isZero(k))
        .isEmpty()) {
      return new Malformed("NodeKey is not a valid nodekey");
    }
    Optional<BoundViolation> outOfBounds = ClientBounds.register(req);
    if (outOfBounds.isPresent()) {
      return new Malformed(outOfBounds.get().message());
    }
    Instant expiry;
    try {
      expiry = parseExpiry(req.expiry());
    } catch (DateTimeParseException e) {
      return new Malformed("Expiry is not an RFC 3339 time");
    }
    if (expiry != null && expiry.isBefore(clock.instant())) {
      // A past expiry wins even over an AuthKey sent along with it.
      return new Logout(req.nodeKey());
    }
    Optional<BoundViolation> farExpiry = InputBounds.instant("Expiry", expiry);
    if (farExpiry.isPresent()) {
      return new Malformed(farExpiry.get().message());
    }
    Hostinfo hi = req.hostinfo();
    String hostname = ClientBounds.hostname(req);
    List<String> tags =
        hi == null || hi.requestTags() == null ? List.of() : List.copyOf(hi.requestTags());
    String authKey = req.auth() == null ? null : req.auth().authKey();
    if (authKey != null && !authKey.isBlank()) {
      return new WithPreAuthKey(
          new EnrollNodeCommand(
              machineKey, req.nodeKey(), oldNodeKey(req), hostname, tags, authKey.trim(), expiry));
    }
    if (req.followup() != null && !req.followup().isBlank()) {
      return new Followup(
          req.followup(),
          new RequestRegistrationCommand(machineKey, req.nodeKey(), hostname, tags, expiry));
    }
    return new Interactive(
        new RequestRegistrationCommand(machineKey, req.nodeKey(), hostname, tags, expiry));
  }

  /** The OldNodeKey when it is a real key different from NodeKey; null otherwise. */
  static String oldNodeKey(RegisterRequest req) {
    return KeyText.parse(KeyText.NODE_PUBLIC, req.oldNodeKey())
        .filter(k -> !KeyText.isZero(k))
        .map(k -> req.oldNodeKey())
        .filter(k -> !k.equalsIgnoreCase(req.nodeKey()))
        .orElse(null);
  }

  /** Null for an absent or zero time (Go's "no request"). */
  static Instant parseExpiry(String text) {
    if (text == null || text.isEmpty() || TailcfgJson.ZERO_TIME.equals(text)) {
      return null;
    }
    Instant t = OffsetDateTime.parse(text).toInstant();
    return t.equals(Instant.parse(TailcfgJson.ZERO_TIME)) ? null : t;
  }
}
