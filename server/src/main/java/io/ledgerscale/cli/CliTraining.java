// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run for the CLI's class-data sharing archive: the {@code ledgerscale} script runs
 * this once per build with -XX:DumpLoadedClassList, and the classes it loaded are archived, parsed
 * and verified, for every later call. It runs typical calls in process, output discarded: help (the
 * whole command tree), the output formats, a call answered by a stand-in server on a loopback port
 * (the HTTP client, JSON, a table), one that reads a config file, and the commands that need no
 * server.
 */
public final class CliTraining {
  private static final String USERS =
      "{\"users\":[{\"id\":\"1\",\"name\":\"alice\",\"displayName\":\"Alice\","
          + "\"email\":\"alice@example.com\",\"createdAt\":\"2026-01-01T00:00:00Z\"}]}";

  private CliTraining() {}

  public static void main(String[] args) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = USERS.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    // a config file as an operator's: the YAML reader is on the path of most calls
    Path config = Files.createTempFile("ledgerscale-cli-training", ".yaml");
    try {
      String address = "http://127.0.0.1:" + server.getAddress().getPort();
      Files.writeString(
          config,
          "listen_addr: 127.0.0.1:1\ndata_dir: /nonexistent\ncli:\n  address: "
              + address
              + "\n  api_key: training\n  timeout: 5s\n");
      for (List<String> call :
          List.of(
              List.of("--help"),
              List.of("version"),
              List.of("-o", "json", "version"),
              List.of("-o", "yaml", "version"),
              List.of("-o", "json-line", "version"),
              List.of("generate", "private-key"),
              List.of("configtest"),
              List.of("users", "list", "--address", address, "--api-key", "training"),
              List.of("users", "list", "-c", config.toString()),
              List.of("nodes", "list", "-o", "json", "--address", address, "--api-key", "x"),
              List.of("users", "list", "--address", "http://127.0.0.1:1", "--api-key", "x"),
              List.of("no-such-command"))) {
        run(call);
      }
    } finally {
      server.stop(0);
      Files.deleteIfExists(config);
    }
  }

  private static void run(List<String> args) {
    PrintStream discard =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    LedgerscaleCli.run(
        args.toArray(String[]::new),
        Map.of("HOME", "/nonexistent"),
        new ByteArrayInputStream(new byte[0]),
        discard,
        discard);
  }
}
