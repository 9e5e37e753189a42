// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.Excerpts;
import io.ledgerscale.domain.support.Refusals;
import java.util.HashMap;
import java.util.Map;

/**
 * Pre-auth and API keys by their public prefix, and the ids they were given. Part of the {@link
 * Tailnet} aggregate's state; its fields are written into the aggregate's snapshot under their own
 * names, as when they were the aggregate's fields.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
final class KeyPrefixes {
  private long lastPreAuthKeyId;
  private long lastApiKeyId;
  private final Map<String, Long> preAuthKeyIdsByPrefix = new HashMap<>();
  private final Map<String, Long> apiKeyIdsByPrefix = new HashMap<>();
  private final Map<Long, String> apiKeyPrefixesById = new HashMap<>();

  long nextPreAuthKeyId() {
    return lastPreAuthKeyId + 1;
  }

  long nextApiKeyId() {
    return lastApiKeyId + 1;
  }

  boolean taken(String prefix) {
    return preAuthKeyIdsByPrefix.containsKey(prefix) || apiKeyIdsByPrefix.containsKey(prefix);
  }

  Long preAuthKey(String prefix) {
    return prefix == null ? null : preAuthKeyIdsByPrefix.get(prefix);
  }

  String apiKeyPrefix(long apiKeyId) {
    return apiKeyPrefixesById.get(apiKeyId);
  }

  void preAuthKeyReserved(long keyId, String prefix) {
    lastPreAuthKeyId = Math.max(lastPreAuthKeyId, keyId);
    preAuthKeyIdsByPrefix.put(prefix, keyId);
  }

  void apiKeyReserved(long apiKeyId, String prefix) {
    lastApiKeyId = Math.max(lastApiKeyId, apiKeyId);
    apiKeyIdsByPrefix.put(prefix, apiKeyId);
    apiKeyPrefixesById.put(apiKeyId, prefix);
  }

  void apiKeyReleased(long apiKeyId, String prefix) {
    apiKeyIdsByPrefix.remove(prefix);
    apiKeyPrefixesById.remove(apiKeyId);
  }

  /**
   * An API key named by id or by prefix (both: they must agree); refuses (recorded) when unknown.
   */
  long resolveApiKey(Object command, Long apiKeyId, String prefix) {
    if (apiKeyId == null && (prefix == null || prefix.isBlank())) {
      throw Refusals.refuse(
          command, "ApiKey", null, RefusalKind.INVALID, "name the API key by id or by prefix");
    }
    Long byPrefix = prefix == null || prefix.isBlank() ? apiKeyId : apiKeyIdsByPrefix.get(prefix);
    if (byPrefix == null
        || (apiKeyId != null && !apiKeyId.equals(byPrefix))
        || !apiKeyPrefixesById.containsKey(byPrefix)) {
      throw Refusals.refuse(
          command,
          "ApiKey",
          apiKeyId != null ? apiKeyId : prefix,
          RefusalKind.NOT_FOUND,
          "no API key "
              + (apiKeyId != null ? "with id " + apiKeyId : "")
              + (prefix != null ? " with prefix " + Excerpts.of(prefix) : ""));
    }
    return byPrefix;
  }
}
