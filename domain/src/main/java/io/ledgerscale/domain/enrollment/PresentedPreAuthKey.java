// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.Excerpts;
import io.ledgerscale.domain.preauthkey.PreAuthKey;
import io.ledgerscale.domain.support.Secrets;
import io.ledgerscale.domain.tailnet.Tailnet;
import java.time.Instant;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/**
 * A pre-auth key as a node presents it (to register, or to rotate its node key), checked in the two
 * steps both callers take at different points: its form, then that it names a key that may still be
 * redeemed. Each failure is a refusal recorded on the tailnet or the key.
 */
final class PresentedPreAuthKey {
  private PresentedPreAuthKey() {}

  /** The key's prefix and secret, or a refusal when the text is not a pre-auth key at all. */
  static Secrets.PresentedKey parse(Aggregate<Tailnet> tailnet, Object command, String text) {
    return Secrets.parse(Secrets.PRE_AUTH_KEY, text)
        .orElseThrow(
            () ->
                tailnet.invoke(
                    t ->
                        t.refuse(
                            command,
                            "PreAuthKey",
                            null,
                            RefusalKind.CREDENTIAL_REJECTED,
                            "malformed pre-auth key")));
  }

  /**
   * The key the prefix names, once its secret, expiry and use allow redeeming it at {@code now}.
   */
  static Aggregate<PreAuthKey> redeemable(
      Aggregate<Tailnet> tailnet,
      Repository<PreAuthKey> keys,
      Object command,
      Secrets.PresentedKey presented,
      Instant now) {
    String prefix = presented.prefix();
    long keyId =
        tailnet
            .invoke(t -> t.preAuthKeyByPrefix(prefix))
            .orElseThrow(
                () ->
                    tailnet.invoke(
                        t ->
                            t.refuse(
                                command,
                                "PreAuthKey",
                                prefix,
                                RefusalKind.CREDENTIAL_REJECTED,
                                "unknown pre-auth key " + Excerpts.of(prefix))));
    Aggregate<PreAuthKey> key = keys.load(AggregateIds.preAuthKey(keyId));
    key.execute(k -> k.checkRedeemable(command, presented.secret(), now));
    return key;
  }
}
