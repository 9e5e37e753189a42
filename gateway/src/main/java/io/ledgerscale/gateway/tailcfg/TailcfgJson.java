// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON rules of the Tailscale wire format: Go's field names (given on each record), unknown
 * fields ignored (clients add fields every release), absent values left out (Go's omitempty; for
 * most fields absent means "unchanged"). Times are RFC 3339 strings, kept as text here so the exact
 * Go forms (zero time) round-trip.
 */
public final class TailcfgJson {
  /**
   * Honest clients nest a handful of levels. What is read (Hostinfo above all) is stored and
   * written back to peers inside MapResponses, so it must stay far below Jackson's write limit
   * (1000).
   */
  static final int MAX_NESTING_DEPTH = 100;

  /**
   * Writes each {@link SharedNodes shared} peer entry as its bytes written once (by {@link #PLAIN},
   * so they are the same bytes).
   */
  public static final ObjectMapper MAPPER =
      builder().addModule(SharedNodeSerializer.module()).build();

  /** The same rules without sharing: what {@link #MAPPER} writes must equal what this writes. */
  static final ObjectMapper PLAIN = builder().build();

  private static JsonMapper.Builder builder() {
    return JsonMapper.builder(
            JsonFactory.builder()
                .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .serializationInclusion(JsonInclude.Include.NON_NULL);
  }

  /** Go's zero time.Time. */
  public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private TailcfgJson() {}
}
