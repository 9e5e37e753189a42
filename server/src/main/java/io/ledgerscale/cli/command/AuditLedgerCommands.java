// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.CliException;
import io.ledgerscale.domain.ledger.ExportVerifier;
import io.ledgerscale.domain.ledger.NoteVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The provable audit ledger: export, offline verify, inclusion proofs, checkpoints. */
final class AuditLedgerCommands {
  private AuditLedgerCommands() {}

  @Command(
      name = "export",
      description =
          "Write the audit trail with its proofs, one JSON object a line (jsonl, or OCSF events).")
  static class Export extends ApiCommand {
    @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or ocsf.")
    String format;

    @Option(names = "--from", description = "Entries from this time on (RFC 3339).")
    String from;

    @Option(names = "--to", description = "Entries before this time (RFC 3339).")
    String to;

    // not -o/--output: those are the CLI's output format
    @Option(names = "--file", description = "Write to this file instead of standard output.")
    Path file;

    @Override
    protected int execute() throws IOException {
      if (!format.equals("jsonl") && !format.equals("ocsf")) {
        throw new CliException("--format must be jsonl or ocsf");
      }
      PrintStream out =
          file == null
              ? null
              : new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8);
      long lines = 0;
      try {
        long after = -1;
        long treeSize = 0;
        do {
          Map<String, Object> q = new LinkedHashMap<>();
          q.put("format", format);
          q.put("from", instant("--from", from));
          q.put("to", instant("--to", to));
          q.put("after", after);
          q.put("tree_size", treeSize == 0 ? null : treeSize);
          JsonNode page = api().get(ApiClient.path("/api/v1/audit/export", q));
          for (JsonNode line : page.path("lines")) {
            if (out == null) {
              output().text(line.asText());
            } else {
              out.println(line.asText());
            }
            lines++;
          }
          // every page is proven against the checkpoint the first one was
          treeSize = page.path("treeSize").asLong();
          after = page.path("nextAfter").asLong(-1);
        } while (after >= 0);
      } finally {
        if (out != null) {
          out.close();
        }
      }
      if (file != null) {
        output().warn(lines + " lines written to " + file);
      }
      output().flush();
      return 0;
    }
  }

  @Command(
      name = "verify",
      description =
          "Check an export offline: leaves, chain, inclusion proofs, checkpoint signatures and"
              + " consistency. Needs no server. Exits 1 naming the first bad entry.")
  static class Verify extends ApiCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "An export (jsonl or ocsf).")
    Path file;

    @Option(
        names = "--key",
        required = true,
        description =
            "A trusted verifier key (<name>+<hash>+<key>, from `audit checkpoint`), or a file"
                + " holding one; repeatable.")
    List<String> keys = new ArrayList<>();

    @Option(
        names = "--checkpoint",
        description =
            "A signed checkpoint you kept earlier (a file): the export must extend it;"
                + " repeatable.")
    List<Path> checkpoints = new ArrayList<>();

    @Override
    protected int execute() throws IOException {
      List<NoteVerifier> trusted = new ArrayList<>();
      for (String key : keys) {
        String text = key;
        if (!key.contains("+") && Files.isRegularFile(Path.of(key))) {
          text = Files.readString(Path.of(key), StandardCharsets.UTF_8).strip();
        }
        try {
          trusted.add(NoteVerifier.parse(text));
        } catch (IllegalArgumentException e) {
          throw new CliException("--key " + key + ": " + e.getMessage());
        }
      }
      List<String> kept = new ArrayList<>();
      for (Path p : checkpoints) {
        kept.add(Files.readString(p, StandardCharsets.UTF_8));
      }
      if (!Files.isRegularFile(file)) {
        throw new CliException("no file " + file);
      }
      ExportVerifier.Report report;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        report = new ExportVerifier(trusted, kept).verify(in);
      }
      if (!report.ok()) {
        throw new CliException("audit verify: " + file + ": " + report.failure());
      }
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      json.put("entries", report.entries());
      json.put("treeSize", report.treeSize());
      json.put("checkpoints", report.checkpoints());
      output()
          .result(
              json,
              "OK: "
                  + report.entries()
                  + " entries verified against the signed tree of size "
                  + report.treeSize()
                  + " ("
                  + report.checkpoints()
                  + " checkpoint(s) checked)");
      return 0;
    }
  }

  @Command(
      name = "prove",
      description =
          "Print the inclusion proof of one event (event id or global index) as a one-entry"
              + " export; with --key, verify it too.")
  static class Prove extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Event id or global index.")
    String id;

    @Option(names = "--key", description = "Verify the proof against this verifier key.")
    String key;

    @Override
    protected int execute() throws IOException {
      JsonNode page = api().get("/api/v1/audit/proof/" + ApiClient.segment(id));
      StringBuilder text = new StringBuilder();
      page.path("lines").forEach(line -> text.append(line.asText()).append('\n'));
      if (key != null) {
        NoteVerifier trusted;
        try {
          trusted = NoteVerifier.parse(key);
        } catch (IllegalArgumentException e) {
          throw new CliException("--key: " + e.getMessage());
        }
        ExportVerifier.Report report =
            new ExportVerifier(List.of(trusted), List.of())
                .verify(new BufferedReader(new StringReader(text.toString())));
        if (!report.ok()) {
          throw new CliException("the proof does not verify: " + report.failure());
        }
      }
      output().text(text.toString().stripTrailing());
      output().flush();
      return 0;
    }
  }

  @Command(
      name = "checkpoint",
      description =
          "Show the latest signed checkpoint and the verifier key; --sign signs one of the ledger"
              + " as it is now.")
  static class Checkpoint extends ApiCommand {
    @Option(names = "--sign", description = "Sign a checkpoint now.")
    boolean sign;

    @Override
    protected int execute() {
      JsonNode answer =
          sign
              ? api().post("/api/v1/audit/checkpoint", null)
              : api().get("/api/v1/audit/checkpoint");
      output()
          .result(
              answer,
              answer.path("note").asText()
                  + "\nverifier key: "
                  + answer.path("verifierKey").asText());
      return 0;
    }
  }

  static String instant(String flag, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.trim()).toString();
    } catch (DateTimeParseException e) {
      throw new CliException(
          "invalid " + flag + " \"" + value + "\": use RFC 3339, e.g. 2026-01-31T12:00:00Z");
    }
  }
}
