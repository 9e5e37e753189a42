// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import static io.ledgerscale.server.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.query.ApiKeyCredential;
import io.ledgerscale.domain.api.query.AuditEntryView;
import io.ledgerscale.domain.api.query.AuditPage;
import io.ledgerscale.domain.api.query.CheckPolicyQuery;
import io.ledgerscale.domain.api.query.FetchAuditTrailQuery;
import io.ledgerscale.domain.api.query.FetchPreAuthKeysQuery;
import io.ledgerscale.domain.api.query.FindApiKeyCredentialQuery;
import io.ledgerscale.domain.api.query.FindNodeQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.PolicyCheckView;
import io.ledgerscale.domain.api.query.PreAuthKeyView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.server.bootstrap.InitialApiKey;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.ledgerscale.server.db.EmbeddedPostgresServer;
import io.ledgerscale.server.replay.ReplayProgress;
import io.ledgerscale.server.replay.ReplayService;
import io.ledgerscale.server.support.Commands;
import io.ledgerscale.server.support.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The whole server on its embedded PostgreSQL: commands go in through Axon, views come out through
 * queries.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    properties = "ledgerscale.config=" + ServerBootTest.CONFIG)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ServerBootTest {
  static final String CONFIG = "target/server-tests/boot-config.yaml";

  static {
    // the tailnet's settings the policy may name (owner, domains), as an operator sets them
    Path written =
        TestConfigs.write(
            "boot", "policy:\n  owner: boot-owner@example.com\n  tailnet_domains: [example.com]\n");
    try {
      Files.copy(written, Path.of(CONFIG), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Autowired CommandGateway commands;
  @Autowired QueryGateway queries;
  @Autowired LedgerscaleConfig config;
  @Autowired ReplayService replay;
  @Autowired JdbcTemplate jdbc;
  @Autowired EmbeddedPostgresServer embedded;

  private AuditPage audit(String actor, String action) {
    return queries
        .query(
            new FetchAuditTrailQuery(actor, null, null, action, null, null, 0, 100),
            AuditPage.class)
        .join();
  }

  @Test
  void shouldCheckPoliciesAgainstTheConfiguredTailnetSettings() {
    Commands.createUser(commands, "boot-owner");
    // a user in another domain: without the setting, that domain would be associated through them
    Commands.send(
        commands,
        new CreateUserCommand("boot-thor", null, "boot-thor@example.org", null, null, null),
        "c-boot-thor");
    await(
        () -> Commands.users(queries),
        list -> list.stream().anyMatch(u -> u.name().equals("boot-thor")));
    String ownerAttr =
        "{\"nodeAttrs\": [{\"target\": [\"autogroup:owner\"], \"attr\": [\"randomize-client-port\"]}]}";
    assertThat(check(ownerAttr).valid()).isTrue();
    String otherDomain =
        "{\"tagOwners\": {\"tag:server\": [\"boot-owner@example.com\"]}, \"ssh\": [{\"action\":"
            + " \"accept\", \"src\": [\"user:*@example.org\"], \"dst\": [\"tag:server\"],"
            + " \"users\": [\"root\"]}]}";
    PolicyCheckView refused = check(otherDomain);
    assertThat(refused.valid()).isFalse();
    assertThat(refused.errors())
        .anySatisfy(e -> assertThat(e).contains("example.org is not associated with this Tailnet"));
  }

  private PolicyCheckView check(String policy) {
    return queries
        .query(new CheckPolicyQuery(policy), ResponseTypes.instanceOf(PolicyCheckView.class))
        .join();
  }

  @Test
  void canRunCommandAndReadItBackThroughQuery() {
    long id = Commands.createUser(commands, "boot-alice");

    List<UserView> users =
        await(
            () -> Commands.users(queries),
            list -> list.stream().anyMatch(u -> u.name().equals("boot-alice")));
    UserView alice =
        users.stream().filter(u -> u.name().equals("boot-alice")).findFirst().orElseThrow();
    assertThat(alice.id()).isEqualTo(id);
    assertThat(alice.email()).isEqualTo("boot-alice@example.com");
    assertThat(embedded.directory()).startsWith(config.dataDirectory());
  }

  @Test
  void canRegisterANodeWithAPreAuthKeyAndSeeItInTheViews() {
    long userId = Commands.createUser(commands, "boot-nina");
    IssuedPreAuthKey key =
        Commands.send(
            commands,
            new CreatePreAuthKeyCommand(userId, false, false, null, List.of()),
            "pak-nina");
    NodeRegistration registration =
        Commands.send(
            commands,
            new RegisterNodeWithPreAuthKeyCommand(
                "mkey:" + "a".repeat(64),
                "nodekey:" + "b".repeat(64),
                "Nina's Laptop",
                List.of(),
                key.key(),
                null),
            "reg-nina");

    // the user name is joined from the users view, which another processor keeps: wait for both
    NodeView node =
        await(
            () -> queries.query(new FindNodeQuery(registration.nodeId()), NodeView.class).join(),
            n -> n != null && n.userName() != null);
    assertThat(node.userId()).isEqualTo(userId);
    assertThat(node.userName()).isEqualTo("boot-nina");
    assertThat(node.ipAddresses()).contains(registration.ipv4());
    assertThat(node.registerMethod()).isEqualTo("REGISTER_METHOD_AUTH_KEY");
    assertThat(node.preAuthKeyId()).isEqualTo(key.id());
    List<PreAuthKeyView> keys =
        await(
            () ->
                queries
                    .query(
                        new FetchPreAuthKeysQuery(userId),
                        ResponseTypes.multipleInstancesOf(PreAuthKeyView.class))
                    .join(),
            l -> !l.isEmpty() && l.get(0).used());
    assertThat(keys).extracting(PreAuthKeyView::id).containsExactly(key.id());
  }

  @Test
  void shouldAuditWhoCreatedWhatFromWhere() {
    long id = Commands.createUser(commands, "boot-bob");

    AuditEntryView entry =
        await(
                () -> audit("alice-admin", "UserCreatedEvent"),
                page ->
                    page.entries().stream().anyMatch(e -> e.targetId().equals(Long.toString(id))))
            .entries()
            .stream()
            .filter(e -> e.targetId().equals(Long.toString(id)))
            .findFirst()
            .orElseThrow();
    assertThat(entry.actorType()).isEqualTo("USER");
    assertThat(entry.actorId()).isEqualTo("1");
    assertThat(entry.origin()).isEqualTo("CLI");
    assertThat(entry.sourceIp()).isEqualTo("192.0.2.44");
    assertThat(entry.correlationId()).isEqualTo("c-boot-bob");
    assertThat(entry.targetType()).isEqualTo("user");
    assertThat(entry.summary()).isEqualTo("created user boot-bob");
  }

  @Test
  void shouldCommitRefusalAndChangeNothingElse() {
    Commands.createUser(commands, "boot-carol");
    await(
        () -> Commands.users(queries),
        l -> l.stream().anyMatch(u -> u.name().equals("boot-carol")));
    int before = Commands.users(queries).size();

    Throwable refused =
        catchThrowable(
            () ->
                Commands.send(
                    commands,
                    new CreateUserCommand("boot-carol", null, null, null, null, null),
                    "dup"));

    CommandRefusedException refusal = findCause(refused, CommandRefusedException.class);
    assertThat(refusal).as("refusal of %s", refused).isNotNull();
    assertThat(refusal.kind()).isEqualTo(RefusalKind.CONFLICT);
    AuditPage refusals =
        await(
            () -> audit("alice-admin", "CommandRefusedEvent"),
            page -> page.entries().stream().anyMatch(e -> "dup".equals(e.correlationId())));
    assertThat(refusals.entries()).isNotEmpty();
    assertThat(Commands.users(queries)).hasSize(before);
  }

  @Test
  void shouldWriteTheFirstApiKeyOnceForTheOwnerOnly() throws Exception {
    Path file = config.dataDirectory().resolve(InitialApiKey.FILE_NAME);
    assertThat(file).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String key = Files.readString(file).strip();
    assertThat(key).startsWith("lskey-api-");
    String prefix = key.substring("lskey-api-".length(), "lskey-api-".length() + 12);

    ApiKeyCredential credential =
        await(
            () ->
                queries.query(new FindApiKeyCredentialQuery(prefix), ApiKeyCredential.class).join(),
            c -> c != null);
    // the secret follows "<prefix>-"; it is base64url, so it may hold a '-' of its own
    String secret = key.substring("lskey-api-".length() + prefix.length() + 1);
    assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
    assertThat(credential.secretHash()).isNotBlank().doesNotContain(secret);
    AuditEntryView created =
        await(() -> audit("system", "ApiKeyCreatedEvent"), p -> p.total() == 1).entries().get(0);
    assertThat(created.actorType()).isEqualTo("SYSTEM");
    assertThat(created.origin()).isEqualTo("SYSTEM");
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%ApiKeyCreatedEvent'",
                Long.class))
        .isEqualTo(1);
  }

  @Test
  void canRebuildTheReadSideFromZero() throws Exception {
    Commands.createUser(commands, "boot-dave");
    await(
        () -> Commands.users(queries), l -> l.stream().anyMatch(u -> u.name().equals("boot-dave")));
    long head = jdbc.queryForObject("SELECT max(globalindex) FROM domainevententry", Long.class);
    await(() -> replay.progress(), p -> !p.running());
    Map<String, List<Map<String, Object>>> live = views();

    ReplayProgress progress = replay.replayAndWait(Duration.ofSeconds(60));

    assertThat(progress.running()).isFalse();
    assertThat(progress.totalEvents()).isPositive();
    assertThat(progress.processedEvents()).isEqualTo(progress.totalEvents());
    assertThat(progress.positions().values())
        .allSatisfy(p -> assertThat(p).isGreaterThanOrEqualTo(head));
    assertThat(views()).isEqualTo(live);
  }

  private Map<String, List<Map<String, Object>>> views() {
    return Map.of(
        "users", jdbc.queryForList("SELECT * FROM user_view ORDER BY id"),
        "apikeys", jdbc.queryForList("SELECT * FROM api_key_view ORDER BY id"),
        "audit", jdbc.queryForList("SELECT * FROM audit_entry ORDER BY global_index"));
  }

  private static Throwable catchThrowable(Runnable action) {
    try {
      action.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
