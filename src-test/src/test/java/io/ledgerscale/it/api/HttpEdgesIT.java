// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every error the server gives over HTTP is a problem document, whatever went wrong and wherever:
 * bodies over the limit of any size, declared or chunked; paths the firewall or the container
 * refuses; paths nothing serves; the framework's own pages (issue 8, item 8).
 */
class HttpEdgesIT extends RunningServer {
  private static final long MIB = 1024 * 1024;

  @ParameterizedTest
  @ValueSource(longs = {MIB + MIB / 2, 2 * MIB + 1, 3 * MIB, 16 * MIB})
  void refusesADeclaredBodyOverTheLimitWithAProblem(long size) {
    RawHttp.Answer answer = RawHttp.post(port, "/api/v1/user", initialApiKey(), size, false);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
    assertThat(answer.isProblem()).as(answer.toString()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(longs = {MIB + MIB / 2, 3 * MIB})
  void refusesAChunkedBodyOverTheLimitWithAProblem(long size) {
    RawHttp.Answer answer = RawHttp.post(port, "/api/v1/user", initialApiKey(), size, true);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
    assertThat(answer.isProblem()).as(answer.toString()).isTrue();
  }

  @Test
  void refusesAnOversizedBodyEvenWithoutAKey() {
    RawHttp.Answer answer = RawHttp.post(port, "/api/v1/user", null, 3 * MIB, false);

    assertThat(answer.status()).as(answer.toString()).isIn(401, 413);
    assertThat(answer.isProblem()).as(answer.toString()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/error",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/api/v1/%2e%2e/health",
        "/api/v1/user%00",
        "/register/%00",
        "//",
        "//api//v1//user",
        "/nothing-here",
        "/api/v1/nothing-here",
        "/login",
        "/logout",
        "/register/..%2f..%2fetc",
        "/a;jsessionid=x/",
      })
  void answersOddPathsWithAProblemThatNamesNoInternals(String path) {
    RawHttp.Answer answer = RawHttp.get(port, path);

    assertThat(answer.status()).as(path + " -> " + answer).isBetween(400, 499);
    assertThat(answer.isProblem()).as(path + " -> " + answer).isTrue();
    assertThat(answer.body())
        .as(path)
        .doesNotContain("Exception", "trace", "\"path\"", "Whitelabel", "<html");
  }
}
