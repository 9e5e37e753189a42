// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

class HtmlTest {

  @Test
  void shouldEscapeMarkupAndQuotes() {
    assertThat(Html.escape("<script>alert('x')</script> & \"q\""))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    assertThat(Html.escape(null)).isEmpty();
  }

  @Test
  void shouldServeUncachedPagesThatForbidScriptsAndFraming() {
    ResponseEntity<String> page = Html.message(HttpStatus.FORBIDDEN, "<b>Title</b>", "<i>text</i>");

    assertThat(page.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(page.getBody())
        .contains("<h1>&lt;b&gt;Title&lt;/b&gt;</h1>")
        .contains("<p>&lt;i&gt;text&lt;/i&gt;</p>")
        .doesNotContain("<i>");
    assertThat(page.getHeaders().getCacheControl()).isEqualTo("no-store");
    assertThat(page.getHeaders().getFirst("Content-Security-Policy"))
        .contains("default-src 'none'")
        .contains("frame-ancestors 'none'");
  }
}
