// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.preauthkey;

import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.admin.user.UserJson;
import io.ledgerscale.domain.api.query.PreAuthKeyView;
import java.util.List;
import java.util.Objects;

/**
 * Headscale's v1 PreAuthKey. Listed keys show only their prefix ({@code lskey-auth-<prefix>-***});
 * the full key appears once, in the answer to the create request.
 */
public record PreAuthKeyJson(
    UserJson user,
    String id,
    String key,
    boolean reusable,
    boolean ephemeral,
    boolean used,
    String expiration,
    String createdAt,
    List<String> aclTags) {

  public static PreAuthKeyJson of(PreAuthKeyView key, UserJson owner) {
    return new PreAuthKeyJson(
        owner,
        Long.toString(key.id()),
        masked(key.prefix()),
        key.reusable(),
        key.ephemeral(),
        key.used(),
        Timestamps.format(key.expiration()),
        Timestamps.format(key.createdAt()),
        Objects.requireNonNullElse(key.aclTags(), List.of()));
  }

  public PreAuthKeyJson withKey(String fullKey) {
    return new PreAuthKeyJson(
        user, id, fullKey, reusable, ephemeral, used, expiration, createdAt, aclTags);
  }

  static String masked(String prefix) {
    return "lskey-auth-" + prefix + "-***";
  }
}
