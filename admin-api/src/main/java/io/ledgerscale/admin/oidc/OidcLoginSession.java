// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What one browser's OIDC registration keeps in its session: the auth id it started from, and after
 * an admitted login the identity waiting for the person's confirmation, with a random token the
 * confirmation form must echo (the callback chain has no CSRF filter, so a form posted from
 * elsewhere cannot approve anything).
 */
public final class OidcLoginSession {
  public static final String AUTHORIZATION_PATH =
      "/oauth2/authorization/" + OidcClientRegistrations.REGISTRATION_ID;
  public static final String CONFIRM_PATH = "/oidc/confirm";
  private static final String AUTH_ID = OidcLoginSession.class.getName() + ".authId";
  private static final String PENDING = OidcLoginSession.class.getName() + ".pending";
  private static final SecureRandom RANDOM = new SecureRandom();

  private OidcLoginSession() {}

  /**
   * A login admitted by the allow-lists, waiting for the person to confirm; {@code account} is the
   * account the confirmation page named (null until the page was shown).
   */
  public record Pending(String authId, OidcIdentity identity, String token, OidcAccount account)
      implements Serializable {
    public boolean tokenMatches(String presented) {
      return presented != null
          && MessageDigest.isEqual(
              token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The browser is about to log in for this registration (a new start forgets any earlier login).
   */
  public static void start(HttpServletRequest request, String authId) {
    HttpSession session = request.getSession(true);
    session.removeAttribute(PENDING);
    session.setAttribute(AUTH_ID, authId);
  }

  static String authId(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    return session == null ? null : (String) session.getAttribute(AUTH_ID);
  }

  static Pending admit(HttpServletRequest request, String authId, OidcIdentity identity) {
    byte[] raw = new byte[24];
    RANDOM.nextBytes(raw);
    Pending pending =
        new Pending(
            authId, identity, Base64.getUrlEncoder().withoutPadding().encodeToString(raw), null);
    HttpSession session = request.getSession(true);
    session.removeAttribute(AUTH_ID);
    session.setAttribute(PENDING, pending);
    return pending;
  }

  static Pending pending(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    return session == null ? null : (Pending) session.getAttribute(PENDING);
  }

  /**
   * Remembers the account the confirmation page names: the confirmation acts as exactly that one.
   */
  static Pending named(HttpServletRequest request, Pending pending, OidcAccount account) {
    Pending named = new Pending(pending.authId(), pending.identity(), pending.token(), account);
    request.getSession(true).setAttribute(PENDING, named);
    return named;
  }

  /** Ends the browser's session: a login approves one registration and is not kept. */
  static void end(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
  }
}
