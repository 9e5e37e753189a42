// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static io.ledgerscale.domain.policy.PolicyShapes.alias;
import static io.ledgerscale.domain.policy.PolicyShapes.allowOnly;
import static io.ledgerscale.domain.policy.PolicyShapes.array;
import static io.ledgerscale.domain.policy.PolicyShapes.object;
import static io.ledgerscale.domain.policy.PolicyShapes.optionalArray;
import static io.ledgerscale.domain.policy.PolicyShapes.required;
import static io.ledgerscale.domain.policy.PolicyShapes.string;

import java.util.ArrayList;
import java.util.List;

/** The {@code ssh} rules and the {@code sshTests} that check them. */
final class SshSectionParser {
  private final PolicyNames names;

  SshSectionParser(PolicyNames names) {
    this.names = names;
  }

  SshRule parseSsh(HuJson.Value value) {
    HuJson.Obj obj = object(value, "ssh");
    allowOnly(obj, "ssh", "action", "src", "dst", "users", "checkPeriod", "acceptEnv");
    // Tailscale trims the strings of an ssh rule (" accept", "tag:server ", "\troot" all work)
    HuJson.Value actionValue = obj.get("action");
    String action =
        actionValue == null || actionValue instanceof HuJson.Null
            ? ""
            : string(actionValue, "action").strip();
    if (action.isEmpty()) {
      throw new PolicyException(
          "action must be specified", actionValue == null ? obj : actionValue);
    }
    if (!action.equals("accept") && !action.equals("check")) {
      throw new PolicyException("\"" + action + "\" is not a valid action", actionValue);
    }
    List<Alias> src = new ArrayList<>();
    for (HuJson.Value v : optionalArray(obj.get("src"), "src")) {
      String s = string(v, "src").strip();
      Alias a = alias(s, v);
      if (a instanceof Alias.AutoGroup ag
          && ag.kind() != AutoGroupKind.MEMBER
          && ag.kind() != AutoGroupKind.TAGGED) {
        throw new PolicyException("ssh: \"" + s + "\" not valid on the src side of a rule", v);
      }
      if (a instanceof Alias.Wildcard) {
        throw new PolicyException("ssh: \"*\" is not valid as an ssh source", v);
      }
      names.checkKnown(a, "src=", v);
      src.add(a);
    }
    List<Alias> dst = new ArrayList<>();
    for (HuJson.Value v : optionalArray(obj.get("dst"), "dst")) {
      String s = string(v, "dst").strip();
      Alias a = alias(s, v);
      if (a instanceof Alias.Wildcard) {
        throw new PolicyException("ssh: \"*\" is not valid as an ssh destination", v);
      }
      if (a instanceof Alias.AutoGroup ag
          && ag.kind() != AutoGroupKind.SELF
          && ag.kind() != AutoGroupKind.MEMBER
          && ag.kind() != AutoGroupKind.TAGGED) {
        throw new PolicyException("ssh: \"" + s + "\" not valid on the dst side of a rule", v);
      }
      if (a instanceof Alias.Host || a instanceof Alias.Prefix) {
        // SSH reaches nodes, not addresses: Tailscale refuses hosts and IPs here
        throw new PolicyException("invalid dst \"" + s + "\"", v);
      }
      names.checkKnown(a, "dst=", v);
      dst.add(a);
    }
    boolean taggedSource =
        src.stream()
            .anyMatch(
                a ->
                    a instanceof Alias.Tag
                        || (a instanceof Alias.AutoGroup ag && ag.kind() == AutoGroupKind.TAGGED));
    boolean userDst =
        dst.stream()
            .anyMatch(
                a ->
                    a instanceof Alias.User
                        || a instanceof Alias.Group
                        || (a instanceof Alias.AutoGroup ag
                            && (ag.kind() == AutoGroupKind.SELF
                                || ag.kind() == AutoGroupKind.MEMBER)));
    if (taggedSource && userDst) {
      throw new PolicyException("ssh: tags cannot be sources for user-owned destinations", obj);
    }
    List<String> users = new ArrayList<>();
    HuJson.Value usersValue = obj.get("users");
    List<HuJson.Value> userValues = optionalArray(usersValue, "users");
    if (userValues.isEmpty()) {
      throw new PolicyException("users must be specified", usersValue == null ? obj : usersValue);
    }
    for (HuJson.Value v : userValues) {
      String u = string(v, "users").strip();
      if (u.equals("*") || u.isEmpty()) {
        throw new PolicyException("user \"" + u + "\" is not valid", v);
      }
      users.add(u);
    }
    HuJson.Value cp = obj.get("checkPeriod");
    String checkPeriod = cp == null || cp instanceof HuJson.Null ? null : string(cp, "checkPeriod");
    if (checkPeriod != null && !action.equals("check")) {
      throw new PolicyException("ssh: checkPeriod is only valid with action \"check\"", cp);
    }
    if (checkPeriod != null && !checkPeriod.equals("always")) {
      checkCheckPeriod(checkPeriod, cp);
    }
    List<String> env = new ArrayList<>();
    if (obj.get("acceptEnv") != null) {
      for (HuJson.Value v : array(obj.get("acceptEnv"), "acceptEnv")) {
        String e = string(v, "acceptEnv");
        if (e.isEmpty()) {
          throw new PolicyException("acceptEnv values cannot be empty", v);
        }
        env.add(e);
      }
    }
    return new SshRule(action, src, dst, users, checkPeriod, env);
  }

  /** The longest check period Tailscale accepts: a week. */
  private static final java.time.Duration MAX_CHECK_PERIOD = java.time.Duration.ofHours(168);

  private static void checkCheckPeriod(String text, HuJson.Value at) {
    java.time.Duration d;
    try {
      d = GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(e.getMessage(), at);
    }
    if (d.isNegative()) {
      throw new PolicyException(
          "checkPeriod " + GoDuration.format(d) + " must be a positive duration", at);
    }
    if (d.compareTo(MAX_CHECK_PERIOD) > 0) {
      throw new PolicyException(
          "checkPeriod " + GoDuration.format(d) + " is above the max (168h)", at);
    }
  }

  SshTest parseSshTest(HuJson.Value value) {
    HuJson.Obj obj = object(value, "sshTests");
    allowOnly(obj, "sshTests", "src", "dst", "accept", "check", "deny");
    HuJson.Value srcValue = required(obj, "src", "sshTests");
    String src = string(srcValue, "sshTests: src");
    if (src.isBlank()) {
      throw new PolicyException("sshTests: src must not be empty", srcValue);
    }
    List<HuJson.Value> dstValues = array(required(obj, "dst", "sshTests"), "sshTests: dst");
    if (dstValues.isEmpty()) {
      throw new PolicyException("sshTests: dst needs at least one host", obj.get("dst"));
    }
    List<String> dst = new ArrayList<>();
    for (HuJson.Value v : dstValues) {
      String d = string(v, "sshTests: dst");
      Alias a;
      try {
        a = Alias.parse(d);
      } catch (IllegalArgumentException e) {
        throw new PolicyException("SSH tests dst contains disallowed element \"" + d + "\"", v);
      }
      // a dst names hosts one can SSH into: not a range, not the internet; "tag:x:22" reads as an
      // unknown tag
      if (a instanceof Alias.AutoGroup ag
          && ag.kind() != AutoGroupKind.MEMBER
          && ag.kind() != AutoGroupKind.TAGGED
          && ag.kind() != AutoGroupKind.SELF) {
        throw new PolicyException("SSH tests dst contains disallowed element \"" + d + "\"", v);
      }
      if (a instanceof Alias.Wildcard
          || a instanceof Alias.Prefix p && !p.prefix().isSingleAddress()
          || a instanceof Alias.Host h
              && names.hosts.containsKey(h.text())
              && !names.hosts.get(h.text()).isSingleAddress()) {
        throw new PolicyException("SSH tests dst contains disallowed element \"" + d + "\"", v);
      }
      if (a instanceof Alias.Tag t && !names.tagOwners.containsKey(t.text())) {
        throw new PolicyException("SSH tests dst contains unknown tag \"" + d + "\"", v);
      }
      dst.add(d);
    }
    return new SshTest(
        src,
        dst,
        sshTestUsers(obj.get("accept")),
        sshTestUsers(obj.get("check")),
        sshTestUsers(obj.get("deny")),
        obj.line(),
        obj.column());
  }

  private static List<String> sshTestUsers(HuJson.Value v) {
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (HuJson.Value item : array(v, "sshTests")) {
      out.add(string(item, "sshTests"));
    }
    return out;
  }
}
