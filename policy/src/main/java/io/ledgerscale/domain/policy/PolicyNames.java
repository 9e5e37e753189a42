// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static io.ledgerscale.domain.policy.PolicyShapes.alias;
import static io.ledgerscale.domain.policy.PolicyShapes.array;
import static io.ledgerscale.domain.policy.PolicyShapes.object;
import static io.ledgerscale.domain.policy.PolicyShapes.string;

import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names a policy declares before its rules use them ({@code groups}, {@code hosts}, {@code
 * tagOwners}), parsed first, and the check that a rule names only declared ones.
 */
final class PolicyNames {
  final Map<String, List<String>> groups = new LinkedHashMap<>();
  final Map<String, IpPrefix> hosts = new LinkedHashMap<>();
  final Map<String, List<String>> tagOwners = new LinkedHashMap<>();

  void parseGroups(HuJson.Member member) {
    if (member == null) {
      return;
    }
    HuJson.Obj obj = object(member.value(), "groups");
    Map<String, HuJson.Member> raw = obj.members();
    // Tailscale refuses every group inside a group, naming the last one in the policy (as
    // Headscale's
    // policy v2 does too); groups are flat lists of users
    String nestingGroup = null;
    String nestedGroup = null;
    HuJson.Value nested = null;
    for (HuJson.Member g : raw.values()) {
      if (!g.key().startsWith("group:") || g.key().length() == "group:".length()) {
        throw new PolicyException(
            "group name \"" + g.key() + "\" must start with \"group:\"", g.line(), g.column());
      }
      List<String> members = new ArrayList<>();
      for (HuJson.Value v : array(g.value(), g.key())) {
        String s = string(v, g.key());
        if (s.startsWith("group:")) {
          if (!raw.containsKey(s)) {
            throw new PolicyException(
                "group \"" + g.key() + "\": group not found: \"" + s + "\"", v);
          }
          nestingGroup = g.key();
          nestedGroup = s;
          nested = v;
        } else if (s.startsWith("tag:") || s.startsWith("autogroup:")) {
          throw new PolicyException(
              "group \"" + g.key() + "\": \"" + s + "\" cannot be a group member, only users", v);
        } else if (!s.contains("@")) {
          throw new PolicyException(
              "group \"" + g.key() + "\": user \"" + s + "\" must contain \"@\"", v);
        }
        members.add(s);
      }
      groups.put(g.key(), members);
    }
    if (nested != null) {
      throw new PolicyException(
          "groups[\""
              + nestingGroup
              + "\"]: \""
              + nestedGroup
              + "\": group members cannot be recursive (a group holds users, not groups)",
          nested);
    }
  }

  void parseHosts(HuJson.Member member) {
    if (member == null) {
      return;
    }
    for (HuJson.Member h : object(member.value(), "hosts").members().values()) {
      String name = h.key();
      if (name.isEmpty()
          || name.contains(":")
          || name.contains("@")
          || name.equals("*")
          || Character.isDigit(name.charAt(0))) {
        throw new PolicyException("host name \"" + name + "\" is not valid", h.line(), h.column());
      }
      String value = string(h.value(), "hosts." + name);
      try {
        hosts.put(name, IpPrefix.parse(value));
      } catch (IllegalArgumentException e) {
        throw new PolicyException(
            "host \"" + name + "\": invalid IP address or CIDR \"" + value + "\"", h.value());
      }
    }
  }

  void parseTagOwners(HuJson.Member member) {
    if (member == null) {
      return;
    }
    Map<String, HuJson.Member> raw = object(member.value(), "tagOwners").members();
    for (HuJson.Member t : raw.values()) {
      if (!t.key().startsWith("tag:") || t.key().length() == "tag:".length()) {
        throw new PolicyException(
            "tag name \"" + t.key() + "\" must start with \"tag:\"", t.line(), t.column());
      }
      char first = t.key().charAt("tag:".length());
      if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
        throw new PolicyException(
            "tagOwners[\"" + t.key() + "\"]: tag names must start with a letter, after 'tag:'",
            t.line(),
            t.column());
      }
      List<String> owners = new ArrayList<>();
      for (HuJson.Value v : array(t.value(), t.key())) {
        String s = string(v, t.key());
        if (s.startsWith("tag:")) {
          if (!raw.containsKey(s)) {
            throw new PolicyException(
                "tagOwners[\"" + t.key() + "\"]: tag not found: \"" + s + "\"", v);
          }
        } else if (s.startsWith("group:")) {
          if (!groups.containsKey(s)) {
            throw new PolicyException(
                "tagOwners[\"" + t.key() + "\"]: group not found: \"" + s + "\"", v);
          }
        } else if (s.startsWith("autogroup:")) {
          if (!s.equals("autogroup:member") && !s.equals("autogroup:tagged")) {
            throw new PolicyException(
                "tagOwners[\"" + t.key() + "\"]: \"" + s + "\" is not supported", v);
          }
        } else if (!s.contains("@")) {
          throw new PolicyException(
              "tagOwners[\"" + t.key() + "\"]: user \"" + s + "\" must contain \"@\"", v);
        }
        owners.add(s);
      }
      tagOwners.put(t.key(), owners);
    }
  }

  void checkKnown(Alias alias, String prefix, HuJson.Value at) {
    if (alias instanceof Alias.Tag t && !tagOwners.containsKey(t.text())) {
      throw new PolicyException(prefix + "tag not found: \"" + t.text() + "\"", at);
    }
    if (alias instanceof Alias.Group g && !groups.containsKey(g.text())) {
      throw new PolicyException(prefix + "group not found: \"" + g.text() + "\"", at);
    }
    if (alias instanceof Alias.Host h && !hosts.containsKey(h.text())) {
      throw new PolicyException(prefix + "host not found: \"" + h.text() + "\"", at);
    }
  }
}
