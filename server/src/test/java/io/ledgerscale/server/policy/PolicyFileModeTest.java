// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.policy;

import static io.ledgerscale.server.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.query.AuditPage;
import io.ledgerscale.domain.api.query.FetchAuditTrailQuery;
import io.ledgerscale.domain.api.query.FetchPolicyHistoryQuery;
import io.ledgerscale.domain.api.query.FetchPolicyQuery;
import io.ledgerscale.domain.api.query.PolicyVersionView;
import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.server.bootstrap.InitialApiKey;
import io.ledgerscale.server.support.Commands;
import io.ledgerscale.server.support.RunningServer;
import io.ledgerscale.server.support.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.junit.jupiter.api.Test;

/**
 * policy.mode: file — the server follows the file, records each reload as its own, and refuses
 * admins' sets.
 */
class PolicyFileModeTest {
  private static final String V1 = "{\n  // first\n  \"tagOwners\": {\"tag:a\": []},\n}\n";
  private static final String V2 =
      "{\n  // second, written the way editors do: a new file renamed over the old\n"
          + "  \"tagOwners\": {\"tag:a\": [], \"tag:b\": []},\n}\n";

  @Test
  void shouldLoadTheFileOnStartAndEachChangeAndKeepThePolicyWhenTheFileIsInvalid()
      throws Exception {
    Path dir =
        Files.createDirectories(TestConfigs.ROOT.resolve("policy-file-" + System.nanoTime()));
    Path policyFile = dir.resolve("policy.hujson");
    Files.writeString(policyFile, V1);
    Path config =
        TestConfigs.rewrite(
            dir, "policy:\n  mode: file\n  path: " + policyFile + "\n  poll_interval: 100ms\n");

    try (RunningServer server = RunningServer.start(config)) {
      PolicyView first = await(() -> policy(server), p -> p != null && p.policy().equals(V1));
      List<PolicyVersionView> history = await(() -> history(server), h -> !h.isEmpty());
      assertThat(history)
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.actorType()).isEqualTo("SYSTEM");
                assertThat(v.origin()).isEqualTo("SYSTEM");
              });

      Path edited = dir.resolve(".policy.hujson.swp");
      Files.writeString(edited, V2);
      Files.move(
          edited, policyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      PolicyView second = await(() -> policy(server), p -> p.policy().equals(V2));
      assertThat(second.version()).isEqualTo(first.version() + 1);

      // replaced whole, as an editor saves: written in place, the poller could read it half-written
      Path invalid = dir.resolve(".policy.hujson.swp");
      Files.writeString(
          invalid,
          "{\n  \"acls\": [{\"action\": \"accept\", \"src\": [\"tag:nope\"], \"dst\": [\"*:*\"]}]\n}\n");
      Files.move(
          invalid, policyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      AuditPage refusals = await(() -> refusals(server), page -> !page.entries().isEmpty());
      assertThat(refusals.entries().get(0).summary()).contains("tag:nope", "line 2");
      assertThat(refusals.entries().get(0).actorType()).isEqualTo("SYSTEM");
      Thread.sleep(500);
      assertThat(refusals(server).entries())
          .as("the same invalid text is not sent again")
          .hasSize(1);
      assertThat(policy(server)).isEqualTo(second);

      assertThatThrownBy(
              () -> Commands.send(server.commands(), new SetPolicyCommand(V1), "c-admin"))
          .isInstanceOfSatisfying(
              CommandRefusedException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(RefusalKind.CONFLICT);
                assertThat(e.getMessage()).contains(policyFile.toString(), "policy.mode: file");
              });
      HttpResponse<String> rest =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + server
                                      .bean(org.springframework.core.env.Environment.class)
                                      .getProperty("local.server.port")
                                  + "/api/v1/policy"))
                      .header(
                          "Authorization",
                          "Bearer "
                              + Files.readString(
                                      dir.resolve("data").resolve(InitialApiKey.FILE_NAME))
                                  .trim())
                      .header("Content-Type", "application/json")
                      .PUT(HttpRequest.BodyPublishers.ofString("{\"policy\": \"{}\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(rest.statusCode()).isEqualTo(409);
      assertThat(rest.body()).contains("policy.mode: file");
      assertThat(policy(server)).isEqualTo(second);
    }
  }

  private static PolicyView policy(RunningServer server) {
    return server.queries().query(new FetchPolicyQuery(), PolicyView.class).join();
  }

  private static List<PolicyVersionView> history(RunningServer server) {
    return server
        .queries()
        .query(
            new FetchPolicyHistoryQuery(null, null),
            ResponseTypes.multipleInstancesOf(PolicyVersionView.class))
        .join();
  }

  private static AuditPage refusals(RunningServer server) {
    return server
        .queries()
        .query(
            new FetchAuditTrailQuery(
                null, "Policy", null, "CommandRefusedEvent", null, null, 0, 10),
            AuditPage.class)
        .join();
  }
}
