// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * How a held command is written into a request and read back: as JSON of the one command type its
 * action allows, never of a type the text names.
 */
public final class HeldCommands {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private HeldCommands() {}

  public static String write(FourEyesAction action, Object command) {
    if (!action.command().isInstance(command)) {
      throw new IllegalArgumentException(
          action.key() + " holds a " + action.command().getSimpleName() + ", not " + command);
    }
    try {
      return JSON.writeValueAsString(command);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot hold " + command, e);
    }
  }

  public static Object read(FourEyesAction action, String json) throws JsonProcessingException {
    return JSON.readValue(json, action.command());
  }
}
