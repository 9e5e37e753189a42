// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ledgerscale.domain.policy.net.AsciiDigits;
import java.util.ArrayList;
import java.util.List;

/** An inclusive port range; serializes like tailcfg.PortRange. */
public record PortRange(@JsonProperty("First") int first, @JsonProperty("Last") int last) {
  public static final PortRange ANY = new PortRange(0, 65535);

  public boolean contains(int port) {
    return first <= port && port <= last;
  }

  /**
   * Parses {@code *}, {@code 22}, {@code 80-443} or a comma list of those, with Tailscale's refusal
   * wording ({@code port range "ssh": invalid first integer}).
   */
  public static List<PortRange> parseList(String spec) {
    if (spec.equals("*")) {
      return List.of(ANY);
    }
    List<PortRange> out = new ArrayList<>();
    for (String part : spec.split(",", -1)) {
      out.add(parseOne(part));
    }
    return List.copyOf(out);
  }

  private static PortRange parseOne(String part) {
    if (part.equals("*")) {
      return ANY;
    }
    int dash = part.indexOf('-', 1);
    String a = dash < 0 ? part : part.substring(0, dash);
    String b = dash < 0 ? part : part.substring(dash + 1);
    Integer first = port(a);
    if (first == null) {
      throw new IllegalArgumentException("port range \"" + part + "\": invalid first integer");
    }
    Integer last = port(b);
    if (last == null) {
      throw new IllegalArgumentException("port range \"" + part + "\": invalid last integer");
    }
    if (first > last) {
      throw new IllegalArgumentException(
          "port range \"" + part + "\": first port is greater than last port");
    }
    return new PortRange(first, last);
  }

  private static Integer port(String s) {
    if (s.isEmpty() || s.length() > 5 || !AsciiDigits.only(s)) {
      return null;
    }
    int v = Integer.parseInt(s);
    return v > 65535 ? null : v;
  }
}
