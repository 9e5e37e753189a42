// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may apply which tag, per the policy's {@code tagOwners} (users {@code alice@}, groups, other tags). This is
 * the contract the node commands use; the full policy engine replaces how it is parsed, not how it is asked.
 */
public final class TagOwners {
  private static final JsonMapper HUJSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  private final JsonNode tagOwners;
  private final JsonNode groups;

  private TagOwners(JsonNode tagOwners, JsonNode groups) {
    this.tagOwners = tagOwners;
    this.groups = groups;
  }

  /** No policy set: nobody owns any tag (Tailscale's default). */
  public static TagOwners none() {
    return new TagOwners(JsonMapper.builder().build().createObjectNode(), JsonMapper.builder().build().createObjectNode());
  }

  /** Parses a HuJSON policy; throws {@link IllegalArgumentException} with the parser's message when malformed. */
  public static TagOwners parse(String hujson) {
    if (hujson == null || hujson.isBlank()) {
      return none();
    }
    try {
      JsonNode root = HUJSON.readTree(hujson);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("policy must be a JSON object");
      }
      return new TagOwners(root.path("tagOwners"), root.path("groups"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("policy is not valid HuJSON: " + e.getOriginalMessage(), e);
    }
  }

  /** True when the tag is declared in tagOwners at all (an undeclared tag cannot be applied by anyone). */
  public boolean isDeclared(String tag) {
    return tagOwners.has(tag);
  }

  /**
   * May the user (by name, and by e-mail when known) apply the tag? A user {@code alice@} matches the name
   * {@code alice} or the e-mail {@code alice@...}; a full e-mail matches that e-mail.
   */
  public boolean mayApply(String userName, String userEmail, String tag) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(tag));
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      for (JsonNode owner : tagOwners.path(t)) {
        String o = owner.asText();
        if (o.startsWith("tag:")) {
          todo.push(o);
        } else if (o.startsWith("group:")) {
          for (JsonNode member : groups.path(o)) {
            if (matchesUser(member.asText(), userName, userEmail)) {
              return true;
            }
          }
        } else if (matchesUser(o, userName, userEmail)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean matchesUser(String token, String userName, String userEmail) {
    if (token.endsWith("@")) {
      String local = token.substring(0, token.length() - 1);
      return local.equals(userName) || (userEmail != null && userEmail.startsWith(token));
    }
    return token.equals(userEmail) || token.equals(userName);
  }
}
