// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.dns;

import io.ledgerscale.gateway.map.NetworkMap;
import io.ledgerscale.gateway.tailcfg.DNSConfig;
import io.ledgerscale.server.config.ConfigException;
import io.ledgerscale.server.config.ExtraDnsRecords;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.ledgerscale.server.reload.Reloadable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.AxonThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Hands the node map Headscale's {@code dns.extra_records}, before any stream opens: from the
 * config file, or from the file named by {@code dns.extra_records_path}, which is then looked at
 * again every {@code policy.poll_interval} (and on SIGHUP) and whose every change reaches all open
 * streams. As in Headscale, an unreadable or invalid file stops the start; later, a bad or
 * half-written file leaves the records in force and is reported. The file is read by path each
 * time, so an editor's rename-over is seen like a write in place.
 */
@Component
public class ExtraDnsRecordsSource implements InitializingBean, DisposableBean, Reloadable {
  private static final Logger log = LoggerFactory.getLogger(ExtraDnsRecordsSource.class);

  private final LedgerscaleConfig config;
  private final ObjectProvider<NetworkMap> map;
  private ScheduledExecutorService executor;

  /** The records last handed to the map. */
  private List<DNSConfig.DNSRecord> inForce = List.of();

  /** The last problem reported, so a file left broken is not reported on every look. */
  private String lastProblem;

  public ExtraDnsRecordsSource(LedgerscaleConfig config, ObjectProvider<NetworkMap> map) {
    this.config = config;
    this.map = map;
  }

  @Override
  public synchronized void afterPropertiesSet() {
    NetworkMap target = map.getIfAvailable();
    if (target == null) {
      return; // no gateway in this context
    }
    Path file = config.dns.extraRecordsFile().orElse(null);
    if (file == null) {
      apply(ExtraDnsRecords.of(config.dns.extraRecords), target);
      return;
    }
    List<DNSConfig.DNSRecord> first = ExtraDnsRecords.read(file);
    apply(first == null ? List.of() : first, target);
    Duration every = config.policy.pollEvery();
    log.info(
        "DNS extra records are read from {} ({} now; checked every {})",
        file,
        inForce.size(),
        every);
    executor =
        Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("dns-records-file"));
    executor.scheduleWithFixedDelay(
        () -> look(file, ""), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void reload(String cause) {
    Path file = config.dns.extraRecordsFile().orElse(null);
    if (file == null || map.getIfAvailable() == null) {
      return;
    }
    log.info("{}: reading the DNS extra records file {}", cause, file);
    look(file, " (" + cause + ")");
  }

  /** Reads the file and passes its records on when they changed; public for tests. */
  public synchronized void look(Path file, String cause) {
    List<DNSConfig.DNSRecord> records;
    try {
      records = ExtraDnsRecords.read(file);
    } catch (ConfigException e) {
      if (!e.getMessage().equals(lastProblem) || !cause.isEmpty()) {
        log.warn("{}; the DNS extra records in force stay{}", e.getMessage(), cause);
        lastProblem = e.getMessage();
      }
      return;
    }
    lastProblem = null;
    if (records == null || records.equals(inForce)) {
      return; // empty: caught half-written, read again on the next change
    }
    apply(records, map.getObject());
    log.info("DNS extra records file {} loaded: {} records{}", file, records.size(), cause);
  }

  private void apply(List<DNSConfig.DNSRecord> records, NetworkMap target) {
    if (Objects.equals(records, inForce)) {
      return;
    }
    inForce = records;
    target.extraDnsRecords(records);
  }

  @Override
  public synchronized void destroy() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
