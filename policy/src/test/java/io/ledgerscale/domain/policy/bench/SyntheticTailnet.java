// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.bench;

import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A reproducible, realistic-looking tailnet and policy of a given size: users in groups, personal
 * devices, tagged servers (some with one tag, some with two), a few subnet routers and exit nodes,
 * and rules mixing every alias kind.
 */
public final class SyntheticTailnet {
  public final TailnetSnapshot snapshot;
  public final String policy;
  public final int tagCount;

  private SyntheticTailnet(TailnetSnapshot snapshot, String policy, int tagCount) {
    this.snapshot = snapshot;
    this.policy = policy;
    this.tagCount = tagCount;
  }

  public static SyntheticTailnet generate(int nodeCount, int ruleCount, long seed) {
    Random rnd = new Random(seed);
    int userCount = Math.max(3, nodeCount / 10);
    int tagCount = Math.max(3, nodeCount / 100);
    int groupCount = Math.max(2, userCount / 10);
    int hostCount = 20;

    List<TailnetUser> users = new ArrayList<>();
    for (int u = 1; u <= userCount; u++) {
      users.add(new TailnetUser(u, "user" + u, "user" + u + "@example.com"));
    }
    List<TailnetNode> nodes = new ArrayList<>();
    for (int i = 1; i <= nodeCount; i++) {
      long v4 = 0x64400000L + i; // 100.64.0.0 + i
      IpAddress ipv4 = IpAddress.v4(v4);
      IpAddress ipv6 = new IpAddress(true, 0xfd7a115ca1e00000L, i);
      Set<String> tags = new LinkedHashSet<>();
      List<IpPrefix> routes = new ArrayList<>();
      Long user = (long) (1 + rnd.nextInt(userCount));
      if (i % 10 < 3) {
        tags.add("tag:t" + rnd.nextInt(tagCount));
        if (rnd.nextInt(4) == 0) {
          tags.add("tag:t" + rnd.nextInt(tagCount));
        }
      }
      if (i % 250 == 0) {
        tags.add("tag:router");
        routes.add(IpPrefix.parse("10." + (i / 250 % 250) + ".0.0/16"));
      }
      if (i % 1000 == 1) {
        tags.add("tag:exit");
        routes.add(IpPrefix.parse("0.0.0.0/0"));
        routes.add(IpPrefix.parse("::/0"));
      }
      nodes.add(new TailnetNode(i, "node" + i, ipv4, ipv6, user, tags, routes, routes));
    }

    StringBuilder p = new StringBuilder("{\n  // synthetic policy\n  \"groups\": {\n");
    for (int g = 0; g < groupCount; g++) {
      p.append("    \"group:g").append(g).append("\": [");
      for (int k = 0; k < 10; k++) {
        p.append(k == 0 ? "" : ", ")
            .append("\"user")
            .append(1 + rnd.nextInt(userCount))
            .append("@example.com\"");
      }
      p.append("],\n");
    }
    p.append("  },\n  \"hosts\": {\n");
    for (int h = 0; h < hostCount; h++) {
      p.append("    \"host")
          .append(h)
          .append("\": \"")
          .append(h % 2 == 0 ? "100.64." + (h / 4) + "." + (1 + h) : "10." + h + ".0.0/24")
          .append("\",\n");
    }
    p.append("  },\n  \"tagOwners\": {\n");
    for (int t = 0; t < tagCount; t++) {
      p.append("    \"tag:t")
          .append(t)
          .append("\": [\"group:g")
          .append(t % groupCount)
          .append("\"],\n");
    }
    p.append(
        "    \"tag:router\": [\"user1@example.com\"],\n    \"tag:exit\": [\"user1@example.com\"],\n  },\n");
    p.append("  \"acls\": [\n");
    for (int r = 0; r < ruleCount; r++) {
      String dst = destination(rnd, groupCount, tagCount, hostCount);
      // autogroup:self only takes people as sources
      String src =
          dst.contains("autogroup:self")
              ? "\"group:g" + rnd.nextInt(groupCount) + "\""
              : source(rnd, userCount, groupCount, tagCount, hostCount);
      p.append("    {\"action\": \"accept\", \"src\": [")
          .append(src)
          .append("], \"dst\": [")
          .append(dst)
          .append("]");
      if (r % 7 == 0) {
        p.append(", \"proto\": \"tcp\"");
      }
      p.append("},\n");
    }
    p.append(
        "  ],\n  \"autoApprovers\": {\"routes\": {\"10.0.0.0/8\": [\"tag:router\"]}, \"exitNode\": [\"tag:exit\"]},\n}\n");
    return new SyntheticTailnet(TailnetSnapshot.of(users, nodes), p.toString(), tagCount);
  }

  private static String source(Random rnd, int users, int groups, int tags, int hosts) {
    return switch (rnd.nextInt(12)) {
      case 0 -> "\"*\"";
      case 1 -> "\"autogroup:member\"";
      case 2, 3 -> "\"user" + (1 + rnd.nextInt(users)) + "@example.com\"";
      case 4 -> "\"host" + rnd.nextInt(hosts) + "\"";
      case 5, 6, 7 -> "\"group:g" + rnd.nextInt(groups) + "\"";
      default -> "\"tag:t" + rnd.nextInt(tags) + "\", \"group:g" + rnd.nextInt(groups) + "\"";
    };
  }

  private static String destination(Random rnd, int groups, int tags, int hosts) {
    String port =
        switch (rnd.nextInt(4)) {
          case 0 -> "*";
          case 1 -> "22";
          case 2 -> "80,443";
          default -> "8000-8100";
        };
    return switch (rnd.nextInt(10)) {
      case 0 -> "\"autogroup:self:*\"";
      case 1 -> "\"host" + rnd.nextInt(hosts) + ":" + port + "\"";
      case 2 -> "\"group:g" + rnd.nextInt(groups) + ":" + port + "\"";
      case 3 -> "\"10.0.0.0/8:" + port + "\"";
      default ->
          "\"tag:t" + rnd.nextInt(tags) + ":" + port + "\", \"tag:t" + rnd.nextInt(tags) + ":22\"";
    };
  }
}
