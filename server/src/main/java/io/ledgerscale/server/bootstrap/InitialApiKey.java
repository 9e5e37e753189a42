// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.bootstrap;

import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.CreateApiKeyCommand;
import io.ledgerscale.domain.api.apikey.IssuedApiKey;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.query.ApiKeyView;
import io.ledgerscale.domain.api.query.FetchApiKeysQuery;
import io.ledgerscale.server.config.LedgerscaleConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The first admin credential. On a fresh install (no API key was ever created) the server creates
 * one through the normal command, as the SYSTEM actor, and writes it once to
 * data_dir/initial-api-key, readable by the owner only. The key itself is never logged. Once any
 * key has been created, this does nothing, even if every key was later deleted: deleting keys must
 * not make the server hand out a new one.
 */
@Component
public class InitialApiKey implements ApplicationRunner {
  public static final String FILE_NAME = "initial-api-key";
  private static final Logger log = LoggerFactory.getLogger(InitialApiKey.class);

  /** Serialises the check-and-create across server instances sharing one database. */
  private static final long ADVISORY_LOCK = 0x4c53_0001L;

  private static final Duration READ_MODEL_WAIT = Duration.ofSeconds(30);

  private final CommandGateway commands;
  private final QueryGateway queries;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final LedgerscaleConfig config;

  public InitialApiKey(
      CommandGateway commands,
      QueryGateway queries,
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      LedgerscaleConfig config) {
    this.commands = commands;
    this.queries = queries;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.config = config;
  }

  @Override
  public void run(ApplicationArguments args) {
    Long created = transactions.execute(tx -> createIfFresh());
    if (created != null) {
      awaitReadModel(created);
    }
  }

  /**
   * The key authenticates against the API-keys view, which follows the event store a moment later.
   * The server is reported ready only after this runner, so waiting here means the written key
   * works as soon as anyone can use it.
   */
  private void awaitReadModel(long keyId) {
    long deadline = System.nanoTime() + READ_MODEL_WAIT.toNanos();
    while (queries
        .query(new FetchApiKeysQuery(), ResponseTypes.multipleInstancesOf(ApiKeyView.class))
        .join()
        .stream()
        .noneMatch(k -> k.id() == keyId)) {
      if (System.nanoTime() > deadline) {
        log.warn(
            "the first admin API key is not in the read model after {}; it works once the projection catches up",
            READ_MODEL_WAIT);
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Returns the id of the key it created, or null when the install is not fresh. */
  private Long createIfFresh() {
    // the command joins the caller's transaction, so the lock is held until the new key's events
    // are committed
    jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> null, ADVISORY_LOCK);
    Boolean exists =
        jdbc.queryForObject(
            "SELECT EXISTS (SELECT 1 FROM domainevententry WHERE payloadtype = ?)",
            Boolean.class,
            ApiKeyCreatedEvent.class.getName());
    if (Boolean.TRUE.equals(exists)) {
      return null;
    }
    IssuedApiKey key = createKey();
    Path file = write(key);
    log.info(
        "Fresh install: created the first admin API key (id {}); it is in {} and will not be shown again",
        key.id(),
        file);
    return key.id();
  }

  private IssuedApiKey createKey() {
    return commands.sendAndWait(
        GenericCommandMessage.asCommandMessage(new CreateApiKeyCommand(null))
            .withMetaData(AuditMetadata.system(Origin.SYSTEM, "initial admin key")));
  }

  private Path write(IssuedApiKey key) {
    Path file = config.dataDirectory().resolve(FILE_NAME);
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(
          file); // a leftover from an earlier database must not keep looser permissions
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key.key() + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the initial API key to " + file, e);
    }
  }
}
