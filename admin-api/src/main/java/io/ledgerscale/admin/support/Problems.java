// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import io.ledgerscale.domain.api.audit.RefusalKind;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 7807 problem documents, the only error body the API sends. */
public final class Problems {
  private Problems() {}

  public static ProblemDetail of(HttpStatus status, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    // grpc-gateway clients (Headplane, scripts written for Headscale) read the error text from
    // "message"
    problem.setProperty("message", detail);
    return problem;
  }

  public static ResponseEntity<ProblemDetail> response(HttpStatus status, String detail) {
    return response(of(status, detail));
  }

  public static ResponseEntity<ProblemDetail> response(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  public static HttpStatus statusOf(RefusalKind kind) {
    return switch (kind) {
      case INVALID -> HttpStatus.BAD_REQUEST;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case CONFLICT -> HttpStatus.CONFLICT;
      case NOT_PERMITTED -> HttpStatus.FORBIDDEN;
      case CREDENTIAL_REJECTED -> HttpStatus.UNAUTHORIZED;
    };
  }
}
