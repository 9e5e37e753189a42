// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.apikey;

import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.domain.api.query.ApiKeyView;

/**
 * Headscale's v1 ApiKey; the prefix is shown as {@code lskey-api-<prefix>-***}, the secret never.
 */
public record ApiKeyJson(
    String id, String prefix, String expiration, String createdAt, String lastSeen) {
  static final String KEY_START = "lskey-api-";

  public static ApiKeyJson of(ApiKeyView key) {
    return new ApiKeyJson(
        Long.toString(key.id()),
        KEY_START + key.prefix() + "-***",
        Timestamps.format(key.expiration()),
        Timestamps.format(key.createdAt()),
        Timestamps.format(key.lastSeen()));
  }

  /**
   * The bare prefix from what an operator may paste: the bare prefix, the masked form, or the whole
   * key.
   */
  static String barePrefix(String given) {
    if (given == null || given.isBlank()) {
      return null;
    }
    String prefix = given.strip();
    if (prefix.startsWith(KEY_START)) {
      prefix = prefix.substring(KEY_START.length());
      if (prefix.endsWith("-***")) {
        prefix = prefix.substring(0, prefix.length() - 4);
      } else if (prefix.length() > 12 && prefix.charAt(12) == '-') {
        prefix = prefix.substring(0, 12);
      }
    }
    return prefix;
  }
}
