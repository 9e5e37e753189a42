// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import org.springframework.http.HttpStatus;

/** A request the API answers with a problem before (or instead of) dispatching a command. */
public class ApiProblem extends RuntimeException {
  private final HttpStatus status;

  public ApiProblem(HttpStatus status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  public HttpStatus status() {
    return status;
  }

  public static ApiProblem badRequest(String detail) {
    return new ApiProblem(HttpStatus.BAD_REQUEST, detail);
  }

  public static ApiProblem notFound(String detail) {
    return new ApiProblem(HttpStatus.NOT_FOUND, detail);
  }
}
