// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Optional;

/**
 * Which rule of a node's SSH policy (its wire form) applies to a connection, decided as tailscaled
 * decides it (ssh/tailssh matchRule): the first rule, not expired, one of whose principals is the
 * source and whose sshUsers map the requested login to the local user the client resolved.
 */
final class SshRuleMatch {
  private SshRuleMatch() {}

  /**
   * The matching rule's {@code action} object, or empty when no rule lets this source in as this
   * user.
   */
  static Optional<JsonNode> action(
      JsonNode policy,
      Collection<String> sourceAddresses,
      String sourceStableId,
      String sourceLogin,
      String sshUser,
      String localUser,
      Instant now) {
    for (JsonNode rule : policy.path("rules")) {
      if (expired(rule.path("ruleExpires"), now) || !rule.path("action").isObject()) {
        continue;
      }
      boolean principal = false;
      for (JsonNode p : rule.path("principals")) {
        principal |=
            p.path("any").asBoolean(false)
                || sourceAddresses.contains(p.path("nodeIP").asText(null))
                || (sourceStableId != null && sourceStableId.equals(p.path("node").asText(null)))
                || (sourceLogin != null && sourceLogin.equals(p.path("userLogin").asText(null)));
      }
      if (principal
          && localUser != null
          && localUser.equals(mapLocalUser(rule.path("sshUsers"), sshUser))) {
        return Optional.of(rule.path("action"));
      }
    }
    return Optional.empty();
  }

  /**
   * The local user {@code sshUser} maps to ("=" keeps the name), or null when the rule does not
   * allow it.
   */
  static String mapLocalUser(JsonNode sshUsers, String sshUser) {
    JsonNode v = sshUsers.get(sshUser == null ? "" : sshUser);
    if (v == null || v.isNull()) {
      v = sshUsers.get("*");
    }
    if (v == null || v.asText().isEmpty()) {
      return null;
    }
    return "=".equals(v.asText()) ? sshUser : v.asText();
  }

  private static boolean expired(JsonNode ruleExpires, Instant now) {
    if (ruleExpires.isMissingNode() || ruleExpires.isNull() || ruleExpires.asText().isEmpty()) {
      return false;
    }
    try {
      return !OffsetDateTime.parse(ruleExpires.asText()).toInstant().isAfter(now);
    } catch (DateTimeParseException e) {
      return true;
    }
  }
}
