// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * The command tree: the top-level commands in the order {@code --help} lists them, and each group's
 * subcommands. Kept here rather than in the commands' {@code subcommands} attributes so that a call
 * builds the model of only the commands it names: picocli reads every registered command's
 * annotations by reflection up front, which was most of a short call's own time.
 */
public final class CommandTree {
  public static final List<Class<?>> TOP =
      List.of(
          ServeCommand.class,
          UsersCommand.class,
          NodesCommand.class,
          PreAuthKeysCommand.class,
          ApiKeysCommand.class,
          AuthCommand.class,
          PolicyCommand.class,
          AuditCommand.class,
          ApprovalsCommand.class,
          ReplayCommand.class,
          DeadLettersCommand.class,
          HealthCommand.class,
          ConfigTestCommand.class,
          GenerateCommand.class,
          DebugCommand.class,
          CompletionCommand.class,
          VersionCommand.class);

  private static final Map<Class<?>, List<Class<?>>> SUBCOMMANDS =
      Map.ofEntries(
          Map.entry(
              UsersCommand.class,
              List.of(
                  UsersCommand.Create.class,
                  UsersCommand.ListUsers.class,
                  UsersCommand.Rename.class,
                  UsersCommand.Destroy.class)),
          Map.entry(
              NodesCommand.class,
              List.of(
                  NodesCommand.ListNodes.class,
                  NodesCommand.ListRoutes.class,
                  NodesCommand.Register.class,
                  NodesCommand.Expire.class,
                  NodesCommand.Rename.class,
                  NodesCommand.Delete.class,
                  NodesCommand.Tag.class,
                  NodesCommand.ApproveRoutes.class,
                  NodesCommand.Transfer.class)),
          Map.entry(
              PreAuthKeysCommand.class,
              List.of(
                  PreAuthKeysCommand.ListKeys.class,
                  PreAuthKeysCommand.Create.class,
                  PreAuthKeysCommand.Expire.class,
                  PreAuthKeysCommand.Delete.class)),
          Map.entry(
              ApiKeysCommand.class,
              List.of(
                  ApiKeysCommand.ListKeys.class,
                  ApiKeysCommand.Create.class,
                  ApiKeysCommand.Expire.class,
                  ApiKeysCommand.Delete.class)),
          Map.entry(
              AuthCommand.class,
              List.of(
                  AuthCommand.Register.class,
                  AuthCommand.Approve.class,
                  AuthCommand.Reject.class,
                  AuthCommand.ListPending.class)),
          Map.entry(
              PolicyCommand.class,
              List.of(
                  PolicyCommand.Get.class,
                  PolicyCommand.Set.class,
                  PolicyCommand.Check.class,
                  PolicyCommand.Reach.class,
                  PolicyCommand.Diff.class,
                  PolicyCommand.History.class)),
          Map.entry(
              AuditCommand.class,
              List.of(
                  AuditCommand.ListEntries.class,
                  AuditCommand.Follow.class,
                  AuditLedgerCommands.Export.class,
                  AuditLedgerCommands.Verify.class,
                  AuditLedgerCommands.Prove.class,
                  AuditLedgerCommands.Checkpoint.class,
                  AuditDiffCommand.class)),
          Map.entry(
              ApprovalsCommand.class,
              List.of(
                  ApprovalsCommand.ListApprovals.class,
                  ApprovalsCommand.Approve.class,
                  ApprovalsCommand.Reject.class)),
          Map.entry(
              DeadLettersCommand.class,
              List.of(
                  DeadLettersCommand.ListLetters.class,
                  DeadLettersCommand.Retry.class,
                  DeadLettersCommand.Evict.class)),
          Map.entry(GenerateCommand.class, List.of(GenerateCommand.PrivateKey.class)),
          Map.entry(
              DebugCommand.class,
              List.of(DebugCommand.CreateNode.class, DebugNetmapCommand.class)));

  private CommandTree() {}

  /** The subcommands of {@code command}, in the order its help lists them; none for a leaf. */
  public static List<Class<?>> subcommands(Class<?> command) {
    return SUBCOMMANDS.getOrDefault(command, List.of());
  }

  /** The command of {@code commands} that {@code word} names (its name or an alias), or null. */
  public static Class<?> named(List<Class<?>> commands, String word) {
    for (Class<?> command : commands) {
      Command annotation = command.getAnnotation(Command.class);
      if (annotation.name().equals(word) || List.of(annotation.aliases()).contains(word)) {
        return command;
      }
    }
    return null;
  }

  /** The name picocli registers {@code command} under. */
  public static String name(Class<?> command) {
    return command.getAnnotation(Command.class).name();
  }
}
