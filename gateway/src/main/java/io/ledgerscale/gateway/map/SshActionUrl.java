// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.sshcheck.SshCheckIds;
import io.ledgerscale.domain.policy.compile.SshPolicy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URL of an SSH check rule's holdAndDelegate, written and read here only: the template a node
 * is sent in its SSH policy (Tailscale fills in {@code $SRC_NODE_ID} and the rest), the URL of one
 * check handed out while the client holds, and the parse of a fetch of either. Always on {@link
 * ServerUrl#noiseBase()}: tailscaled fetches it over Noise only when it is https.
 */
public final class SshActionUrl {
  public static final String PREFIX = "/machine/ssh/action/";

  private static final Pattern PATH =
      Pattern.compile(Pattern.quote(PREFIX) + "from/(\\d{1,18})/to/(\\d{1,18})");
  private static final Pattern CHECK_ID =
      Pattern.compile(Pattern.quote(SshCheckIds.PREFIX) + "[A-Za-z0-9_-]{1,64}");

  /** One fetch: which connection, as which users, and the check it follows up, if any. */
  public record Request(long src, long dst, String sshUser, String localUser, String checkId) {}

  private final String base;
  private final String template;

  public SshActionUrl(ServerUrl serverUrl) {
    this.base = serverUrl.noiseBase();
    this.template =
        base
            + PREFIX
            + "from/$SRC_NODE_ID/to/$DST_NODE_ID?ssh_user=$SSH_USER&local_user=$LOCAL_USER";
  }

  /** What a node is sent for a check rule (Tailscale fills in the {@code $} placeholders). */
  public String template() {
    return template;
  }

  /** {@code policy} with its check rules pointing here (null stays null: no ssh section). */
  public SshPolicy onto(SshPolicy policy) {
    return policy == null ? null : policy.withCheckUrl(check -> template);
  }

  /** The URL to fetch again while the check {@code checkId} about {@code r}'s connection runs. */
  public String hold(Request r, String checkId) {
    return base
        + PREFIX
        + "from/"
        + r.src()
        + "/to/"
        + r.dst()
        + "?ssh_user="
        + enc(r.sshUser())
        + "&local_user="
        + enc(r.localUser())
        + "&check="
        + enc(checkId);
  }

  /**
   * A fetch of {@code relativePath} (from {@link #PREFIX} on) with its query parameters, or empty
   * when it is not one of ours.
   */
  public static Optional<Request> parse(String relativePath, Function<String, String> param) {
    Matcher m = PATH.matcher(relativePath);
    String sshUser = param.apply("ssh_user");
    String localUser = param.apply("local_user");
    String checkId = param.apply("check");
    if (!m.matches()
        || sshUser == null
        || localUser == null
        || (checkId != null && !CHECK_ID.matcher(checkId).matches())) {
      return Optional.empty();
    }
    return Optional.of(
        new Request(
            Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), sshUser, localUser, checkId));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
