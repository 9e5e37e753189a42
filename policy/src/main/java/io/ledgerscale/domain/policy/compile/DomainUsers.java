// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.Alias;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.PolicyException;
import io.ledgerscale.domain.policy.SshRule;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@code user:*@example.com} (every user whose address is in the domain) and the domain of SSH's
 * {@code localpart:*@example.com}. Tailscale accepts only domains associated with the tailnet: the
 * operator names them ({@link TailnetSettings#domains()}); when none are named, a domain is
 * associated when some user's address is in it.
 */
final class DomainUsers {
  private DomainUsers() {}

  /** The domain of a {@code user:*@domain} token, else null. */
  static String domainOf(String token) {
    String t = token.startsWith("user:") ? token.substring("user:".length()) : token;
    return t.startsWith("*@") ? t.substring(2) : null;
  }

  /** Users whose address is in the domain, compared exactly as Tailscale does. */
  static Set<Long> usersIn(String domain, Collection<TailnetUser> users) {
    Set<Long> out = new TreeSet<>();
    for (TailnetUser u : users) {
      String email = u.email() == null || u.email().isEmpty() ? u.name() : u.email();
      int at = email == null ? -1 : email.lastIndexOf('@');
      if (at > 0 && email.substring(at + 1).equals(domain)) {
        out.add(u.id());
      }
    }
    return out;
  }

  /** Refuses a domain expression not associated with the tailnet, in Tailscale's words. */
  static void check(Policy policy, TailnetSnapshot tailnet) {
    Predicate<String> associated =
        tailnet.settings().domains().isEmpty()
            ? d -> !usersIn(d, tailnet.users()).isEmpty()
            : tailnet.settings().domains()::contains;
    for (SshRule rule : policy.ssh()) {
      for (Alias s : rule.sources()) {
        String d = s instanceof Alias.User u ? domainOf(u.text()) : null;
        if (d != null && !associated.test(d)) {
          throw new PolicyException("[ssh] " + notAssociated(d), 0, 0);
        }
      }
      for (String login : rule.users()) {
        String d = SshCompiler.localpartDomain(login);
        if (d != null && !associated.test(d)) {
          throw new PolicyException(notAssociated(d), 0, 0);
        }
      }
    }
  }

  private static String notAssociated(String domain) {
    return domain
        + " is not associated with this Tailnet and cannot be used in user:*@<domain> expressions";
  }
}
