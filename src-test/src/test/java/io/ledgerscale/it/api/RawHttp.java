// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written by hand, for what a client library would not send: paths exactly as given
 * ({@code %2e%2e}, {@code %00}, {@code //}), and bodies larger than the server reads, declared or
 * chunked. The server may answer before the body is sent and close; what it answered is read then.
 */
final class RawHttp {
  private RawHttp() {}

  record Answer(int status, String headers, String body) {
    String contentType() {
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-type")) {
          return line.substring(colon + 1).trim();
        }
      }
      return "";
    }

    boolean isProblem() {
      return contentType().toLowerCase(Locale.ROOT).startsWith("application/problem+json");
    }

    @Override
    public String toString() {
      return status + " " + contentType() + " " + body;
    }
  }

  static Answer get(int port, String path) {
    return send(port, "GET " + path + " HTTP/1.1\r\n" + "Host: 127.0.0.1\r\n", null, 0, false);
  }

  /** A POST whose body is {@code size} bytes of a JSON string, declared or chunked. */
  static Answer post(int port, String path, String bearer, long size, boolean chunked) {
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
            + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n");
    return send(port, head, "x", size, chunked);
  }

  private static Answer send(int port, String head, String fill, long size, boolean chunked) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread writer = null;
      if (fill != null) {
        // the body goes out while the answer is read: the server may answer before reading it
        writer = new Thread(() -> writeBody(out, fill, size, chunked), "raw-http-body");
        writer.setDaemon(true);
        writer.start();
      }
      Answer answer = read(socket.getInputStream());
      if (writer != null) {
        writer.join(30_000);
      }
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A JSON object whose one string grows to {@code size} bytes in all (never closed). */
  private static void writeBody(OutputStream out, String fill, long size, boolean chunked) {
    try {
      byte[] start = "{\"name\":\"".getBytes(StandardCharsets.US_ASCII);
      byte[] chunk = fill.repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
      for (long sent = 0; sent < size; ) {
        byte[] part = sent == 0 ? start : chunk;
        int n = (int) Math.min(part.length, size - sent);
        if (chunked) {
          out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(part, 0, n);
        if (chunked) {
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        sent += n;
      }
      if (chunked) {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
    } catch (IOException answeredEarly) {
      // the server answered and closed before the whole body was sent
    }
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // a reset after the answer: keep what arrived
    }
    String text = all.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) {
      return new Answer(-1, "", text);
    }
    int status = Integer.parseInt(text.substring(9, 12));
    String headers = text.substring(0, end);
    String body = text.substring(end + 4);
    if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
      body = unchunk(body);
    }
    return new Answer(status, headers, body);
  }

  private static String unchunk(String body) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < body.length()) {
      int eol = body.indexOf("\r\n", at);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    return out.toString();
  }
}
