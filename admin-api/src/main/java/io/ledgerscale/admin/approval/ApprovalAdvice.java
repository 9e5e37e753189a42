// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.approval;

import io.ledgerscale.admin.support.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A held change is answered 202 Accepted with the request an admin other than the caller must
 * approve; before the catch-all problem handler, which would make it a failure.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApprovalAdvice {
  @ExceptionHandler(ApprovalRequired.class)
  ResponseEntity<Map<String, Object>> held(ApprovalRequired held) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", held.requestId());
    request.put("action", held.action());
    request.put("summary", held.summary());
    request.put("status", "PENDING");
    request.put("expiresAt", Timestamps.format(held.expiresAt()));
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(Map.of("approvalRequest", request, "message", held.getMessage()));
  }
}
