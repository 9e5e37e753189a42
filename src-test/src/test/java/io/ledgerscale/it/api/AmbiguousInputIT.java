// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Input that two readers could read differently is refused, not read one way: a body naming a field
 * twice, control characters at the ends of a value that trimming would drop, digits from other
 * scripts that Java reads as numbers (issue 8: bad input gets a clear error and changes nothing).
 */
class AmbiguousInputIT extends RunningServer {

  @Test
  void refusesABodyThatNamesAFieldTwice() {
    String first = unique("first");
    String second = unique("second");

    Http.Answer refused =
        admin().post("/api/v1/user", "{\"name\":\"" + first + "\",\"name\":\"" + second + "\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.isProblem()).isTrue();
    assertThat(admin().get("/api/v1/user?name=" + first).json().path("users")).isEmpty();
    assertThat(admin().get("/api/v1/user?name=" + second).json().path("users")).isEmpty();
  }

  @Test
  void refusesAControlCharacterAtTheEndOfAnIdInsteadOfDroppingIt() {
    Http.Answer refused = admin().post("/api/v1/auth/approve", "{\"auth_id\":\"\\u0000\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.json().path("detail").asText()).contains("auth_id");
  }

  @Test
  void readsOnlyAsciiDigitsAsAUserId() {
    JsonNode user = createUser(unique("digits"));
    long id = user.path("id").asLong();
    // the same number in Arabic-Indic digits, which Long.parseLong would accept
    StringBuilder arabic = new StringBuilder();
    for (char c : Long.toString(id).toCharArray()) {
      arabic.append((char) ('\u0660' + (c - '0')));
    }

    Http.Answer refused =
        admin().post("/api/v1/preauthkey", "{\"user\":\"" + arabic + "\",\"reusable\":true}");

    assertThat(refused.status()).as(refused.toString()).isBetween(400, 404);
    assertThat(refused.isProblem()).isTrue();
  }
}
