// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.policy;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.ledgerscale.server.reload.Reloadable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.AxonThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * File mode: reads {@code policy.path} once the server is ready, then every {@code
 * policy.poll_interval}. Each text that differs from the last one read is sent as a {@link
 * SetPolicyCommand} by the server itself (actor SYSTEM, origin SYSTEM), so a reload is an audited
 * event like any other change, and an invalid file is refused and recorded while the policy in
 * force stays. The file is read by path each time, not watched by handle: editors that write a new
 * file and rename it over the old one are seen like editors that write in place.
 *
 * <p>A SIGHUP ({@link Reloadable}) reads the file at once and sends it even when it is the text
 * last sent, as Headscale reloads on SIGHUP: a refused file is refused (and recorded) again, an
 * unchanged accepted one changes nothing. Why the file is not in force is kept for /health until a
 * text is accepted.
 */
@Component
public class PolicyFileWatcher implements DisposableBean, Reloadable {
  private static final Logger log = LoggerFactory.getLogger(PolicyFileWatcher.class);

  private final CommandGateway commands;
  private final LedgerscaleConfig config;
  private ScheduledExecutorService executor;

  /**
   * The last text sent (accepted or refused): the same text is not sent again until the file
   * changes.
   */
  private String lastSent;

  private boolean reportedMissing;

  /** Why the file's text is not the policy in force, or null when it is. */
  private volatile Problem problem;

  /** Why the policy file is not in force, and since when. */
  public record Problem(String error, Instant since) {}

  public PolicyFileWatcher(CommandGateway commands, LedgerscaleConfig config) {
    this.commands = commands;
    this.config = config;
  }

  @EventListener(ApplicationReadyEvent.class)
  public synchronized void start() {
    if (!config.policy.fromFile() || executor != null) {
      return;
    }
    Path file = config.policy.file();
    Duration every = config.policy.pollEvery();
    log.info("Policy is read from {} (checked every {})", file, every);
    executor = Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("policy-file"));
    executor.scheduleWithFixedDelay(() -> reload(file), 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Why the file's text is not the policy in force, when it is not. */
  public Optional<Problem> problem() {
    return Optional.ofNullable(problem);
  }

  /** The operator asked (SIGHUP): read the file now and send it even when unchanged. */
  @Override
  public void reload(String cause) {
    if (!config.policy.fromFile()) {
      log.info(
          "{}: the policy is not read from a file (policy.mode: {}, policy.path empty);"
              + " nothing to reload",
          cause,
          config.policy.mode);
      return;
    }
    Path file = config.policy.file();
    log.info("{}: reloading the policy file {}", cause, file);
    read(file, true, " (" + cause + ")");
  }

  /**
   * Reads the file and sends it when it changed; public so a test or a signal handler can force a
   * look.
   */
  public void reload(Path file) {
    read(file, false, "");
  }

  private synchronized void read(Path file, boolean evenIfUnchanged, String cause) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
      reportedMissing = false;
    } catch (NoSuchFileException e) {
      // an editor's rename-over leaves a moment with no file; the policy in force stays
      if (!reportedMissing || evenIfUnchanged) {
        log.warn("Policy file {} does not exist; the policy in force stays", file);
        reportedMissing = true;
      }
      report("the file does not exist");
      return;
    } catch (IOException e) {
      log.warn("Cannot read policy file {}: {}; the policy in force stays", file, e.getMessage());
      report("cannot read the file: " + e.getMessage());
      return;
    }
    if (!evenIfUnchanged && Objects.equals(text, lastSent)) {
      return;
    }
    try {
      Object version =
          commands.sendAndWait(
              new SetPolicyCommand(text),
              AuditMetadata.system(Origin.SYSTEM, "policy file " + file + cause));
      lastSent = text;
      problem = null;
      log.info("Policy file {} loaded; policy version {} in force", file, version);
    } catch (CommandRefusedException refused) {
      lastSent = text;
      report("refused: " + refused.getMessage());
      log.warn("Policy file {} refused, the policy in force stays: {}", file, refused.getMessage());
    } catch (RuntimeException e) {
      // not a verdict on the file (database away, lost race): try again on the next look
      log.warn("Policy file {} could not be applied yet: {}", file, e.getMessage());
    }
  }

  private void report(String error) {
    Problem before = problem;
    problem =
        new Problem(
            error, before != null && before.error().equals(error) ? before.since() : Instant.now());
  }

  @Override
  public synchronized void destroy() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
