// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.bounds;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place for the bounds of every value a client or an admin can send: lengths, characters
 * and time ranges. The gateway and the admin API check them before a command exists (a 400 naming
 * the field and the rule); the aggregates check them again for commands that come by another path.
 * docs/limits.md lists them.
 *
 * <p>Why these bounds: everything a command accepts is stored in the append-only event store and
 * then in PostgreSQL read models, which refuse NUL characters and cannot index long text. So no
 * string anywhere may hold a control character (C0, DEL, C1) or a lone surrogate (it is not valid
 * UTF-8), and every string has a length a btree index row holds. Where Tailscale or Headscale have
 * a rule (DNS labels, tags, user names) it is theirs.
 */
public final class InputBounds {
  /** Headscale user names: e-mail-like, so the e-mail limit. */
  public static final int USER_NAME_MAX = 255;

  public static final int DISPLAY_NAME_MAX = 255;

  /** RFC 5321's longest forward path. */
  public static final int EMAIL_MAX = 254;

  public static final int PICTURE_URL_MAX = 2048;

  /**
   * A client's hostname as a command may carry it. The gateway sends a sanitised DNS label (at most
   * 63, see {@link Hostnames}); other paths may carry a longer one, up to a DNS name's length.
   */
  public static final int HOSTNAME_MAX = 253;

  /** A DNS label (RFC 1035), what MagicDNS names are. */
  public static final int NODE_NAME_MAX = 63;

  /** A tag, "tag:" included. */
  public static final int TAG_MAX = 128;

  /** Tags on one node or key, and tags a client may request. */
  public static final int TAGS_MAX = 64;

  /** Routes one node advertises (Hostinfo.RoutableIPs) or has approved. */
  public static final int ROUTES_MAX = 1024;

  /** A free-text reason (transfer, rejection) or description. */
  public static final int REASON_MAX = 1024;

  /** An SSH user name a node asks a check for (Unix names are at most 32 characters). */
  public static final int SSH_USER_MAX = 256;

  /** A presented API key or pre-auth key, or a key prefix, as text. */
  public static final int KEY_TEXT_MAX = 256;

  /** An auth id or SSH check id in a URL or request. */
  public static final int ID_TEXT_MAX = 128;

  /** A policy document (HuJSON), in characters. */
  public static final int POLICY_MAX = 512 * 1024;

  /** An OIDC issuer + subject: the OIDC spec caps the subject at 255 ASCII characters. */
  public static final int PROVIDER_ID_MAX = 1024;

  /** Earliest instant accepted for any time sent to us. */
  public static final Instant EARLIEST = Instant.EPOCH;

  /**
   * Latest instant accepted for any time sent to us: the last second of year 9999, the end of RFC
   * 3339 and of every calendar the read models and clients print. "Never" is not a date: a key or
   * node that should not expire says so.
   */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern TAG = Pattern.compile("tag:[A-Za-z][A-Za-z0-9-]*");
  private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+");
  private static final Pattern KEY_TEXT = Pattern.compile("[A-Za-z0-9._:+/=*-]+");
  private static final Pattern ID_TEXT = Pattern.compile("[A-Za-z0-9_-]+");

  private InputBounds() {}

  // ---- characters

  /** True when the character at {@code i} is a control character or half a surrogate pair. */
  public static boolean isIllegalAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return Character.isISOControl(c);
  }

  /** The index of the first control character or lone surrogate, or -1. */
  public static int firstIllegalChar(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isIllegalAt(s, i)) {
        return i;
      }
    }
    return -1;
  }

  // ---- generic rules

  /** Optional text: null passes; otherwise at most {@code max} characters and no control ones. */
  public static Optional<BoundViolation> text(String field, String value, int max) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.length() > max) {
      return violation(field, "at most " + max + " characters (got " + value.length() + ")");
    }
    if (firstIllegalChar(value) >= 0) {
      return violation(field, "no control characters (NUL, newline, ...) or broken UTF-16");
    }
    return Optional.empty();
  }

  /** As {@link #text} but null or blank is refused too. */
  public static Optional<BoundViolation> requiredText(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      return violation(field, "is required");
    }
    return text(field, value, max);
  }

  /**
   * Multi-line text (a policy): at most {@code max} characters; tabs and line ends are allowed, no
   * other control character.
   */
  public static Optional<BoundViolation> document(String field, String value, int max) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.length() > max) {
      return violation(field, "at most " + max + " characters (got " + value.length() + ")");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && c != '\n' && c != '\r' && isIllegalAt(value, i)) {
        return violation(field, "no control characters other than tab and line ends");
      }
    }
    return Optional.empty();
  }

  /**
   * An instant sent to us: null passes; otherwise between {@link #EARLIEST} and {@link #LATEST}.
   */
  public static Optional<BoundViolation> instant(String field, Instant value) {
    if (value == null || (!value.isBefore(EARLIEST) && !value.isAfter(LATEST))) {
      return Optional.empty();
    }
    return violation(field, "a time between " + EARLIEST + " and " + LATEST);
  }

  // ---- named fields

  /** Headscale's user name rule: e-mail-like, starting with a letter or digit. */
  public static boolean isUserName(String name) {
    return name != null && USER_NAME.matcher(name).matches();
  }

  public static Optional<BoundViolation> userName(String field, String value) {
    if (isUserName(value)) {
      return Optional.empty();
    }
    return text(field, value, USER_NAME_MAX)
        .or(
            () ->
                violation(
                    field,
                    "1 to "
                        + USER_NAME_MAX
                        + " letters, digits and . _ @ + -, starting with a letter or digit"));
  }

  public static Optional<BoundViolation> displayName(String field, String value) {
    return text(field, value, DISPLAY_NAME_MAX);
  }

  /** Optional; when given, one @ between non-empty parts, no spaces. */
  public static Optional<BoundViolation> email(String field, String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    return text(field, value, EMAIL_MAX)
        .or(
            () ->
                EMAIL.matcher(value).matches()
                    ? Optional.empty()
                    : violation(field, "an e-mail address (local@domain, no spaces)"));
  }

  /** Optional; when given, an absolute http(s) URL without spaces. */
  public static Optional<BoundViolation> pictureUrl(String field, String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    return text(field, value, PICTURE_URL_MAX)
        .or(
            () -> {
              String lower = value.toLowerCase(java.util.Locale.ROOT);
              boolean web = lower.startsWith("https://") || lower.startsWith("http://");
              return web && value.chars().noneMatch(Character::isWhitespace)
                  ? Optional.empty()
                  : violation(field, "an http or https URL without spaces");
            });
  }

  /** A DNS label: lower-case letters, digits and inner dashes, 1 to 63 characters. */
  public static boolean isDnsLabel(String name) {
    return name != null && name.length() <= NODE_NAME_MAX && DNS_LABEL.matcher(name).matches();
  }

  public static Optional<BoundViolation> nodeName(String field, String value) {
    if (isDnsLabel(value)) {
      return Optional.empty();
    }
    return violation(
        field,
        "a DNS label: lower-case letters, digits and inner dashes, 1 to "
            + NODE_NAME_MAX
            + " characters");
  }

  /** Tailscale's tag syntax: "tag:" then a letter, then letters, digits and dashes. */
  public static boolean isTag(String tag) {
    return tag != null && tag.length() <= TAG_MAX && TAG.matcher(tag).matches();
  }

  /** Optional list: at most {@value #TAGS_MAX} tags, each in Tailscale's syntax. */
  public static Optional<BoundViolation> tags(String field, List<String> tags) {
    if (tags == null) {
      return Optional.empty();
    }
    if (tags.size() > TAGS_MAX) {
      return violation(field, "at most " + TAGS_MAX + " tags (got " + tags.size() + ")");
    }
    for (String tag : tags) {
      if (!isTag(tag)) {
        return violation(
            field,
            "each tag is tag:<name>, the name a letter then letters, digits and dashes, at most "
                + TAG_MAX
                + " characters in all");
      }
    }
    return Optional.empty();
  }

  public static Optional<BoundViolation> reason(String field, String value) {
    return text(field, value, REASON_MAX);
  }

  /** Optional key text (a presented key or a prefix): printable ASCII key characters only. */
  public static Optional<BoundViolation> keyText(String field, String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    return text(field, value, KEY_TEXT_MAX)
        .or(
            () ->
                KEY_TEXT.matcher(value).matches()
                    ? Optional.empty()
                    : violation(field, "letters, digits and . _ : + / = * - only"));
  }

  /** Optional id text (an auth id, an SSH check id): URL-safe characters only. */
  public static Optional<BoundViolation> idText(String field, String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    if (value.length() > ID_TEXT_MAX || !ID_TEXT.matcher(value).matches()) {
      return violation(
          field, "at most " + ID_TEXT_MAX + " letters, digits, dashes and underscores");
    }
    return Optional.empty();
  }

  public static Optional<BoundViolation> policy(String field, String value) {
    return document(field, value, POLICY_MAX);
  }

  /** The first violation of several checks, in order. */
  @SafeVarargs
  public static Optional<BoundViolation> first(Optional<BoundViolation>... checks) {
    for (Optional<BoundViolation> check : checks) {
      if (check.isPresent()) {
        return check;
      }
    }
    return Optional.empty();
  }

  private static Optional<BoundViolation> violation(String field, String rule) {
    return Optional.of(new BoundViolation(field, rule));
  }
}
