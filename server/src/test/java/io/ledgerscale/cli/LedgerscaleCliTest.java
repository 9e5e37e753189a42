// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LedgerscaleCliTest {
  @TempDir Path dir;

  @Test
  void shouldPrintServesHelpWithoutStartingAnything() {
    CliCall call = CliCall.of("serve", "--help");

    assertThat(call.status()).as(call.toString()).isZero();
    assertThat(call.out()).contains("Usage: ledgerscale serve").contains("listen_addr");
  }

  @Test
  void shouldListServeAndTheNewCommandsInTheHelp() {
    CliCall call = CliCall.of("--help");

    assertThat(call.status()).as(call.toString()).isZero();
    assertThat(call.out())
        .contains("  serve ")
        .contains("  configtest ")
        .contains("  generate, gen ")
        .contains("  completion ")
        .contains("  debug ")
        .contains("  users, user ");
  }

  @Test
  void shouldBuildOnlyTheCommandTheArgumentsName() {
    assertThat(subcommands("-o", "json", "users", "list")).containsOnlyKeys("users", "user");
    assertThat(subcommands("--config", "users", "nodes", "list"))
        .as("the value of --config is no command")
        .containsOnlyKeys("nodes", "node");
    assertThat(subcommands("--help")).containsKeys("serve", "users", "nodes", "version");
    assertThat(subcommands("no-such-command")).containsKeys("users", "nodes");
    assertThat(LedgerscaleCli.nextWord(root(), new String[] {"--address=x", "nodes"}, 0))
        .isEqualTo(1);
    assertThat(LedgerscaleCli.nextWord(root(), new String[] {"--api-key", "k", "--"}, 0))
        .isEqualTo(-1);
  }

  @Test
  void shouldBuildOnlyTheSubcommandTheArgumentsName() {
    assertThat(subcommands("preauthkeys", "list", "-o", "json").get("preauthkeys").getSubcommands())
        .containsOnlyKeys("list", "ls", "show");
    assertThat(subcommands("user", "-c", "create", "ls").get("user").getSubcommands())
        .as("the value of -c is no command")
        .containsOnlyKeys("list", "ls", "show");
    assertThat(subcommands("nodes").get("nodes").getSubcommands())
        .as("a group alone shows all it holds")
        .containsKeys("list", "register", "delete", "tag", "transfer");
    assertThat(subcommands("nodes", "lst").get("nodes").getSubcommands())
        .as("a typo gets suggestions from all")
        .containsKeys("list", "register");
    CommandLine list =
        subcommands("preauthkeys", "list").get("preauthkeys").getSubcommands().get("list");
    assertThat(list.getCommandSpec().findOption("--output"))
        .as("the root's options reach a leaf added after its group")
        .isNotNull();
    assertThat(list.getCommandSpec().findOption("--config")).isNotNull();
  }

  @Test
  void shouldStillSuggestACommandForATypo() {
    CliCall call = CliCall.of("user", "lst");
    CliCall typo = CliCall.of("usres", "list");

    assertThat(call.status()).isNotZero();
    assertThat(typo.status()).isNotZero();
    assertThat(typo.err()).contains("Did you mean").contains("ledgerscale user");
  }

  @Test
  void shouldSayWhatReplayWouldDoAndDoNothingWithoutForce() {
    // an address where nothing listens: had it sent the request, it would say it cannot reach it
    CliCall declined =
        CliCall.withInput("n\n", "replay", "--address", "http://127.0.0.1:1", "--api-key", "k");
    CliCall unanswered = CliCall.of("replay", "--address", "http://127.0.0.1:1", "--api-key", "k");

    for (CliCall call : new CliCall[] {declined, unanswered}) {
      assertThat(call.status()).as(call.toString()).isEqualTo(1);
      assertThat(call.err())
          .contains("nothing was done")
          .contains("rebuild every read view")
          .contains("--force")
          .doesNotContain("cannot reach");
    }
  }

  @Test
  void shouldGenerateAPrivateKeyAsHeadscaleDoes() throws Exception {
    CliCall text = CliCall.of("generate", "private-key");
    CliCall json = CliCall.of("-o", "json", "gen", "private-key");

    assertThat(text.status()).as(text.toString()).isZero();
    assertThat(text.out().trim()).matches("privkey:[0-9a-f]{64}");
    String key = new ObjectMapper().readTree(json.out()).path("private_key").asText();
    assertThat(key).matches("privkey:[0-9a-f]{64}").isNotEqualTo(text.out().trim());
  }

  @Test
  void shouldPrintCompletionScripts() {
    CliCall bash = CliCall.of("completion", "bash");
    CliCall zsh = CliCall.of("completion", "zsh");
    CliCall fish = CliCall.of("completion", "fish");
    CliCall other = CliCall.of("completion", "powershell");

    assertThat(bash.status()).as(bash.toString()).isZero();
    assertThat(bash.out()).contains("complete -F").contains("preauthkeys").contains("configtest");
    assertThat(zsh.out()).isEqualTo(bash.out()).contains("bashcompinit");
    assertThat(fish.status()).as(fish.toString()).isZero();
    assertThat(fish.out())
        .contains("complete -c ledgerscale -n 'not __fish_seen_subcommand_from")
        .contains("-a 'users'")
        .contains("__fish_seen_subcommand_from users; and not __fish_seen_subcommand_from")
        .contains("-l output");
    assertThat(other.status()).isEqualTo(1);
    assertThat(other.out()).isEmpty();
    assertThat(other.err()).contains("bash, zsh or fish");
  }

  @Test
  void shouldPassAValidConfigAndFailAnInvalidOneWithTheReason() throws Exception {
    Path good = Files.writeString(dir.resolve("good.yaml"), "listen_addr: 127.0.0.1:8080\n");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "listen_addr: not-an-address\n");
    Path badPolicy = Files.writeString(dir.resolve("policy.hujson"), "{\"acls\": [ {\"action\": ");
    Path withPolicy =
        Files.writeString(
            dir.resolve("policy.yaml"), "policy:\n  mode: file\n  path: " + badPolicy + "\n");
    Path missingPolicy =
        Files.writeString(
            dir.resolve("later.yaml"),
            "policy:\n  mode: file\n  path: " + dir.resolve("absent.hujson") + "\n");

    CliCall ok = CliCall.of("configtest", "-c", good.toString());
    CliCall wrong = CliCall.of("configtest", "-c", bad.toString());
    CliCall brokenPolicy = CliCall.of("configtest", "-c", withPolicy.toString());
    CliCall notYet = CliCall.of("configtest", "-c", missingPolicy.toString());
    CliCall absent = CliCall.of("configtest", "-c", dir.resolve("nope.yaml").toString());

    assertThat(ok.status()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("valid").contains(good.toString());
    assertThat(wrong.status()).as(wrong.toString()).isEqualTo(1);
    assertThat(wrong.err()).contains("listen_addr");
    assertThat(brokenPolicy.status()).as(brokenPolicy.toString()).isEqualTo(1);
    assertThat(brokenPolicy.err()).contains("policy.path").contains(badPolicy.toString());
    assertThat(notYet.status()).as(notYet.toString()).isZero();
    assertThat(notYet.err()).contains("does not exist");
    assertThat(absent.status()).isEqualTo(1);
    assertThat(absent.err()).contains("nope.yaml");
  }

  private static Map<String, CommandLine> subcommands(String... args) {
    return LedgerscaleCli.commandLine(cli(), args).getSubcommands();
  }

  private static CommandLine root() {
    return new CommandLine(cli());
  }

  private static LedgerscaleCli cli() {
    return new LedgerscaleCli(Map.of(), System.in, System.out, System.err);
  }
}
