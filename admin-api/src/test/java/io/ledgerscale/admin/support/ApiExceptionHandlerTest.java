// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.DatabaseUnavailableException;
import io.ledgerscale.domain.api.ServerBusyException;
import java.sql.SQLException;
import java.time.Duration;
import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

class ApiExceptionHandlerTest {
  private final ApiExceptionHandler handler = new ApiExceptionHandler();

  @Test
  void shouldAnswerABusyServerWith503AndRetryAfter() {
    ResponseEntity<ProblemDetail> answer =
        handler.failure(
            new ServerBusyException(
                "server busy: RegisterNodeCommand not run", Duration.ofMillis(1500)));

    assertThat(answer.getStatusCode().value()).isEqualTo(503);
    assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
    assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(answer.getBody().getDetail()).isEqualTo("server busy: RegisterNodeCommand not run");
    assertThat(answer.getBody().getProperties())
        .containsEntry("message", "server busy: RegisterNodeCommand not run");
  }

  @Test
  void shouldFindABusyServerBehindAWrapper() {
    ResponseEntity<ProblemDetail> answer =
        handler.failure(
            new CommandExecutionException(
                "failed", new ServerBusyException("server busy", Duration.ofSeconds(2))));

    assertThat(answer.getStatusCode().value()).isEqualTo(503);
    assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
  }

  @Test
  void shouldAnswerAnUnreachableDatabaseWith503AndRetryAfter() {
    // the buses hand the edges this, wrapped as Axon wraps handler failures
    ResponseEntity<ProblemDetail> answer =
        handler.failure(
            new CommandExecutionException(
                "failed", new IllegalStateException(new DatabaseUnavailableException())));

    assertThat(answer.getStatusCode().value()).isEqualTo(503);
    assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
    assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void shouldNotMistakeOtherDatabaseErrorsForAnOutage() {
    ResponseEntity<ProblemDetail> answer =
        handler.failure(new RuntimeException(new SQLException("value too long", "22001")));

    assertThat(answer.getStatusCode().value()).isEqualTo(500);
  }
}
