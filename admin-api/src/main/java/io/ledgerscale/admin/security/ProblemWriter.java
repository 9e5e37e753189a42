// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.admin.support.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** Writes a problem document from a filter, where no controller advice is in reach. */
@Component
public class ProblemWriter {
  private final ObjectMapper json;

  public ProblemWriter(ObjectMapper json) {
    this.json = json;
  }

  public void write(HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), Problems.of(status, detail));
  }
}
