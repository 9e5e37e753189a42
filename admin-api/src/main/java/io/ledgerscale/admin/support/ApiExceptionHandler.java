// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.ledgerscale.domain.api.DatabaseUnavailableException;
import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import java.util.Optional;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.messaging.HandlerExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.queryhandling.NoHandlerForQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into a problem document. Axon hands a handler's exception back either as is
 * or wrapped (with the refusal kind as details when it crossed a wire), so the cause chain is
 * searched for the refusal.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiProblem.class)
  ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
    ProblemDetail detail = Problems.of(problem.status(), problem.getMessage());
    if (problem instanceof Bounds.OutOfBounds out) {
      detail.setProperty("field", out.violation().field());
      detail.setProperty("rule", out.violation().rule());
    }
    return Problems.response(detail);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> failure(Exception failure) {
    Optional<CommandRefusedException> refusal = find(failure, CommandRefusedException.class);
    if (refusal.isPresent()) {
      return Problems.response(Problems.statusOf(refusal.get().kind()), refusal.get().getMessage());
    }
    Optional<HandlerExecutionException> wrapped = find(failure, HandlerExecutionException.class);
    if (wrapped.isPresent()
        && wrapped.get().getDetails().orElse(null) instanceof RefusalKind kind) {
      return Problems.response(Problems.statusOf(kind), wrapped.get().getMessage());
    }
    Optional<ServerBusyException> busy = find(failure, ServerBusyException.class);
    if (busy.isPresent()) {
      return busy(busy.get());
    }
    Optional<ApiProblem> problem = find(failure, ApiProblem.class);
    if (problem.isPresent()) {
      return apiProblem(problem.get());
    }
    if (find(failure, NoHandlerForCommandException.class).isPresent()
        || find(failure, NoHandlerForQueryException.class).isPresent()) {
      log.warn("admin API request reached no handler: {}", failure.getMessage());
      return Problems.response(
          HttpStatus.NOT_IMPLEMENTED, "this operation is not available on this server yet");
    }
    // a command naming an aggregate that was never created; handlers normally refuse this
    // themselves
    if (find(failure, AggregateNotFoundException.class).isPresent()) {
      return Problems.response(
          HttpStatus.NOT_FOUND,
          "no such " + kindOf(find(failure, AggregateNotFoundException.class).get()));
    }
    if (find(failure, ConcurrencyException.class).isPresent()) {
      return Problems.response(
          HttpStatus.CONFLICT, "a concurrent change got there first; try again");
    }
    Optional<DatabaseUnavailableException> down = DatabaseUnavailableException.causing(failure);
    if (down.isPresent()) {
      log.warn("admin API request refused, the database is unavailable: {}", failure.toString());
      return busy(down.get());
    }
    log.error("admin API request failed", failure);
    return Problems.response(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
  }

  /**
   * The command was not run at all, so the client may simply send it again after the pause it is
   * given.
   */
  private static ResponseEntity<ProblemDetail> busy(ServerBusyException busy) {
    long seconds = Math.max(1, (busy.retryAfter().toMillis() + 999) / 1000);
    ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, busy.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (find(ex, BodyTooLargeException.class).isPresent()) {
      return asObject(
          Problems.response(HttpStatus.PAYLOAD_TOO_LARGE, "request body larger than 1 MiB"));
    }
    // Jackson's own message quotes the input, which may hold a secret or a whole policy; say where
    // instead
    String detail = "malformed request body";
    Optional<JsonProcessingException> json = find(ex, JsonProcessingException.class);
    if (json.isPresent() && json.get().getLocation() != null) {
      JsonLocation at = json.get().getLocation();
      detail += " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
    return asObject(Problems.response(HttpStatus.BAD_REQUEST, detail));
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex,
      Object body,
      HttpHeaders headers,
      HttpStatusCode statusCode,
      WebRequest request) {
    ResponseEntity<Object> response =
        super.handleExceptionInternal(ex, body, headers, statusCode, request);
    if (response == null || !(response.getBody() instanceof ProblemDetail problem)) {
      return response;
    }
    problem.setProperty("message", problem.getDetail());
    HttpHeaders problemHeaders = new HttpHeaders();
    problemHeaders.putAll(response.getHeaders());
    problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return new ResponseEntity<>(problem, problemHeaders, response.getStatusCode());
  }

  private static String kindOf(AggregateNotFoundException missing) {
    String id =
        missing.getAggregateIdentifier() == null ? "" : missing.getAggregateIdentifier().toString();
    int dash = id.indexOf('-');
    return dash > 0 ? id.substring(0, dash) + " " + id.substring(dash + 1) : "item";
  }

  private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> response) {
    return ResponseEntity.status(response.getStatusCode())
        .headers(response.getHeaders())
        .body(response.getBody());
  }

  static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }
}
