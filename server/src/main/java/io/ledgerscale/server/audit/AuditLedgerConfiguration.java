// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.audit;

import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.ledger.NoteSigner;
import io.ledgerscale.projections.ledger.AuditLedgerQueries;
import io.ledgerscale.projections.ledger.CheckpointSigner;
import io.ledgerscale.projections.ledger.LedgerFollower;
import io.ledgerscale.server.config.LedgerscaleConfig;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the audit ledger: the signing key from the data directory, the follower, the signer. */
@Configuration(proxyBeanMethods = false)
public class AuditLedgerConfiguration {
  /** Events appended per step: one step is one short transaction. */
  static final int BATCH = 500;

  /** A gap younger than this is not passed even when no transaction seems to hold it. */
  static final Duration GAP_GRACE = Duration.ofSeconds(1);

  @Bean
  public NoteSigner auditNoteSigner(LedgerscaleConfig config, ServerUrl serverUrl) {
    String origin = config.auditLedger.originFor(serverUrl);
    boolean explicit = config.auditLedger.origin != null && !config.auditLedger.origin.isBlank();
    return AuditSigningKeyStore.loadOrCreate(
        config.auditSigningKeyPath(), origin, explicit, new SecureRandom());
  }

  @Bean
  public LedgerFollower ledgerFollower(
      JdbcTemplate jdbc, PlatformTransactionManager transactions, LedgerscaleConfig config) {
    return new LedgerFollower(
        jdbc,
        new TransactionTemplate(transactions),
        Clock.systemUTC(),
        GAP_GRACE,
        config.auditLedger.gapWait(),
        BATCH);
  }

  @Bean
  public CheckpointSigner checkpointSigner(JdbcTemplate jdbc, NoteSigner auditNoteSigner) {
    return new CheckpointSigner(jdbc, auditNoteSigner, Clock.systemUTC());
  }

  @Bean
  public AuditLedgerQueries auditLedgerQueries(
      JdbcTemplate jdbc, LedgerFollower follower, CheckpointSigner signer) {
    return new AuditLedgerQueries(jdbc, follower, signer);
  }

  @Bean
  public AuditLedgerSchedule auditLedgerSchedule(
      LedgerFollower follower, CheckpointSigner signer, LedgerscaleConfig config) {
    return new AuditLedgerSchedule(follower, signer, config.auditLedger);
  }
}
