// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.preauthkey;

import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyCreatedEvent;
import io.ledgerscale.domain.policydocument.PolicyDocument;
import io.ledgerscale.domain.policydocument.TagPermission;
import io.ledgerscale.domain.support.Secrets;
import io.ledgerscale.domain.tailnet.Tailnet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/**
 * Creates pre-auth keys. The full key is in the answer only; the events keep its prefix and hash.
 */
public class PreAuthKeyIssuer {
  /** Headscale's default: a key without an expiration is valid for one hour. */
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  private final Repository<Tailnet> tailnets;
  private final Repository<PreAuthKey> keys;
  private final Repository<PolicyDocument> policies;
  private final Clock clock;

  public PreAuthKeyIssuer(
      Repository<Tailnet> tailnets,
      Repository<PreAuthKey> keys,
      Repository<PolicyDocument> policies,
      Clock clock) {
    this.tailnets = tailnets;
    this.keys = keys;
    this.policies = policies;
    this.clock = clock;
  }

  @CommandHandler
  public IssuedPreAuthKey handle(CreatePreAuthKeyCommand command) throws Exception {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    List<String> tags =
        command.aclTags() == null ? List.of() : command.aclTags().stream().distinct().toList();
    Instant now = clock.instant();
    Instant expiration =
        command.expiration() == null ? now.plus(DEFAULT_LIFETIME) : command.expiration();
    tailnet.execute(
        t -> {
          if (command.userId() == null && tags.isEmpty()) {
            throw t.refuse(
                command,
                "PreAuthKey",
                null,
                RefusalKind.INVALID,
                "a pre-auth key needs a user or tags");
          }
          t.requireWithinBounds(
              command,
              "PreAuthKey",
              null,
              InputBounds.first(
                  InputBounds.instant("expiration", expiration),
                  tags.size() > InputBounds.TAGS_MAX
                      ? InputBounds.tags("aclTags", tags)
                      : Optional.empty()));
          // the key's tags are applied by whoever uses it, on the authority of the admin who made
          // it: the rule an admin's `nodes tag` follows (well-formed, declared in tagOwners)
          Optional<TagPermission.Denial> denial =
              tags.isEmpty()
                  ? Optional.empty()
                  : TagPermission.forAdmin(PolicyDocument.current(policies), tags);
          if (denial.isPresent()) {
            throw t.refuse(command, "PreAuthKey", null, denial.get().kind(), denial.get().reason());
          }
          if (!expiration.isAfter(now)) {
            throw t.refuse(
                command, "PreAuthKey", null, RefusalKind.INVALID, "the expiration is in the past");
          }
          if (command.userId() != null) {
            t.requireUser(command, command.userId());
          }
        });
    Secrets.NewKey key = tailnet.invoke(t -> t.newKey(Secrets.PRE_AUTH_KEY));
    long keyId = tailnet.invoke(t -> t.reservePreAuthKey(key.prefix()));
    keys.newInstance(
        () ->
            new PreAuthKey(
                new PreAuthKeyCreatedEvent(
                    keyId,
                    key.prefix(),
                    key.secretHash(),
                    command.userId(),
                    command.reusable(),
                    command.ephemeral(),
                    expiration,
                    tags)));
    return new IssuedPreAuthKey(keyId, key.text(), expiration);
  }
}
