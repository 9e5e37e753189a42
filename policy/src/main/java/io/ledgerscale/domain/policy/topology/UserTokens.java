// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The one rule by which a user token in a policy ({@code alice@}, {@code alice@example.com}) names
 * a user, after Headscale's {@code Username.resolveUser}: drop one trailing {@code @}; a user is a
 * <em>candidate</em> when its name equals what is left, or its e-mail address equals it (ignoring
 * case). The token names a user only when exactly one user is a candidate. None: it names nobody.
 * Several: it is ambiguous and names nobody either (never several users); a policy being set with
 * such a token is refused, a stored one keeps running with the token matching nothing and the
 * problem reported. So {@code alice@} names the user called {@code alice}, never whoever has an
 * address starting {@code alice@}; e-mail addresses are matched whole.
 */
public final class UserTokens {
  private UserTokens() {}

  /** Is the user one of those the token could name (see the class comment)? */
  public static boolean isCandidate(TailnetUser user, String token) {
    String wanted = token.endsWith("@") ? token.substring(0, token.length() - 1) : token;
    return user.name().equals(wanted)
        || (user.email() != null && wanted.equalsIgnoreCase(user.email()));
  }

  /** Every candidate for the token, by id. */
  public static List<TailnetUser> candidates(String token, Collection<TailnetUser> users) {
    List<TailnetUser> out = new ArrayList<>();
    for (TailnetUser u : users) {
      if (isCandidate(u, token)) {
        out.add(u);
      }
    }
    out.sort(Comparator.comparingLong(TailnetUser::id));
    return out;
  }

  /** The one user the token names; empty when no user or several users are candidates. */
  public static Optional<TailnetUser> resolve(String token, Collection<TailnetUser> users) {
    List<TailnetUser> c = candidates(token, users);
    return c.size() == 1 ? Optional.of(c.get(0)) : Optional.empty();
  }

  /** Does the token name exactly this user? Asks for everyone only when the user is a candidate. */
  public static boolean names(
      String token,
      TailnetUser user,
      java.util.function.Supplier<? extends Collection<TailnetUser>> everyone) {
    if (user == null || !isCandidate(user, token)) {
      return false;
    }
    return resolve(token, everyone.get()).map(u -> u.id() == user.id()).orElse(false);
  }

  /** Is this string written as a user token (a policy may hold other strings with an {@code @})? */
  public static boolean isUserToken(String s) {
    return s.contains("@")
        && !s.contains(":")
        && !s.contains("*")
        && !s.startsWith("group:")
        && !s.startsWith("tag:");
  }

  /**
   * The tokens among {@code strings} that more than one user is a candidate for, each with its
   * candidates; in one pass over the users, whatever the number of tokens.
   */
  public static Map<String, List<TailnetUser>> ambiguous(
      Collection<String> strings, Collection<TailnetUser> users) {
    Map<String, List<TailnetUser>> byName = new HashMap<>();
    Map<String, List<TailnetUser>> byEmail = new HashMap<>();
    for (TailnetUser u : users) {
      byName.computeIfAbsent(u.name(), k -> new ArrayList<>()).add(u);
      if (u.email() != null) {
        byEmail.computeIfAbsent(u.email().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(u);
      }
    }
    Map<String, List<TailnetUser>> out = new TreeMap<>();
    for (String s : strings) {
      if (!isUserToken(s)) {
        continue;
      }
      String wanted = s.endsWith("@") ? s.substring(0, s.length() - 1) : s;
      Map<Long, TailnetUser> found = new TreeMap<>();
      byName.getOrDefault(wanted, List.of()).forEach(u -> found.put(u.id(), u));
      byEmail.getOrDefault(wanted.toLowerCase(Locale.ROOT), List.of()).stream()
          .filter(u -> isCandidate(u, s))
          .forEach(u -> found.put(u.id(), u));
      if (found.size() > 1) {
        out.put(s, List.copyOf(found.values()));
      }
    }
    return out;
  }

  /** One sentence per ambiguous token, naming it and its candidates. */
  public static String describe(Map<String, List<TailnetUser>> ambiguous) {
    return ambiguous.entrySet().stream()
        .map(
            e ->
                "user token \""
                    + e.getKey()
                    + "\" is ambiguous, it could name "
                    + e.getValue().stream()
                        .map(
                            u ->
                                u.name()
                                    + " (id "
                                    + u.id()
                                    + (u.email() == null ? "" : ", " + u.email())
                                    + ")")
                        .collect(Collectors.joining(", "))
                    + "; a token must name exactly one user (rename a user or write the other form)")
        .collect(Collectors.joining("; "));
  }
}
