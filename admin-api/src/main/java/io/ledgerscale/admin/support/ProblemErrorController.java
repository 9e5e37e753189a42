// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error path, in place of Spring Boot's default page: whatever failed
 * before a controller could answer (a path the container refuses, an exception in a filter), and a
 * direct request for {@code /error}, gets a problem document that says only the status. Causes,
 * exception names and paths stay in the log.
 */
@RestController
public class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer c && HttpStatus.resolve(c) != null && c >= 400
            ? HttpStatus.valueOf(c)
            : HttpStatus.NOT_FOUND;
    return Problems.response(status, detail(status));
  }

  private static String detail(HttpStatus status) {
    return switch (status) {
      case NOT_FOUND -> "no such resource";
      case PAYLOAD_TOO_LARGE -> "request body too large";
      case BAD_REQUEST -> "the request is not acceptable";
      default ->
          status.is5xxServerError()
              ? "the server could not answer this request"
              : status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
