// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.Excerpts;
import io.ledgerscale.domain.policy.TagOwners;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserNaming;
import io.ledgerscale.domain.support.Names;
import java.util.List;
import java.util.Optional;

/**
 * Who may put which tags on a node, per the policy's tagOwners: a user only tags it owns; an admin
 * (API key or the server itself) any tag the policy declares. A tag the policy does not declare
 * cannot be applied by anyone.
 */
public final class TagPermission {

  /** Why tags may not be applied. */
  public record Denial(RefusalKind kind, String reason) {}

  private TagPermission() {}

  public static Optional<Denial> forUser(
      TagOwners owners, TailnetUser user, UserNaming naming, List<String> tags) {
    Optional<Denial> syntax = declared(owners, tags);
    if (syntax.isPresent()) {
      return syntax;
    }
    for (String tag : tags) {
      if (!owners.mayApply(user, naming, tag)) {
        return Optional.of(
            new Denial(
                RefusalKind.NOT_PERMITTED,
                "user " + user.name() + " does not own " + tag + " per the policy's tagOwners"));
      }
    }
    return Optional.empty();
  }

  public static Optional<Denial> forAdmin(TagOwners owners, List<String> tags) {
    return declared(owners, tags);
  }

  private static Optional<Denial> declared(TagOwners owners, List<String> tags) {
    String malformed = Names.firstMalformedTag(tags);
    if (malformed != null) {
      return Optional.of(
          new Denial(
              RefusalKind.INVALID,
              "invalid tag '" + Excerpts.of(malformed) + "': tags look like tag:name"));
    }
    for (String tag : tags) {
      if (!owners.isDeclared(tag)) {
        return Optional.of(
            new Denial(RefusalKind.INVALID, tag + " is not declared in the policy's tagOwners"));
      }
    }
    return Optional.empty();
  }
}
