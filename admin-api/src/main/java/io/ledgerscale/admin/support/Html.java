// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import java.nio.charset.StandardCharsets;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The few pages a person sees in a browser (registration, OIDC confirmation, errors): plain HTML,
 * every value escaped, never cached, framing and scripts forbidden.
 */
public final class Html {
  private Html() {}

  /** Escapes text for element content and double-quoted attribute values. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A page with an escaped title and a body that is already HTML (built with {@link #escape}). */
  public static ResponseEntity<String> page(HttpStatus status, String title, String bodyHtml) {
    String html =
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%1$s - Ledgerscale</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#222}
        pre,code{background:#f3f3f3;border-radius:4px}pre{padding:1rem;overflow-x:auto}
        button{font-size:1rem;padding:.5rem 1.25rem}
        </style>
        </head>
        <body>
        <h1>%1$s</h1>
        %2$s
        </body>
        </html>
        """
            .formatted(escape(title), bodyHtml);
    return ResponseEntity.status(status)
        .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
        .cacheControl(CacheControl.noStore())
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:;"
                + " form-action 'self'; frame-ancestors 'none'")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .body(html);
  }

  /** A page with one paragraph of escaped text. */
  public static ResponseEntity<String> message(HttpStatus status, String title, String text) {
    return page(status, title, "<p>" + escape(text) + "</p>");
  }
}
