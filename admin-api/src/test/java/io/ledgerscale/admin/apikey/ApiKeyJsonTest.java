// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyJsonTest {
  @Test
  void canNameAKeyByEveryFormAnOperatorMayPaste() {
    assertThat(ApiKeyJson.barePrefix("abcdef123456")).isEqualTo("abcdef123456");
    assertThat(ApiKeyJson.barePrefix("lskey-api-abcdef123456-***")).isEqualTo("abcdef123456");
    assertThat(ApiKeyJson.barePrefix("lskey-api-abcdef123456-c2VjcmV0")).isEqualTo("abcdef123456");
    assertThat(ApiKeyJson.barePrefix(" ")).isNull();
  }
}
