import { Command } from 'commander';
import type { CliContextController } from './cli-context.js';
import { registerAccountCommands } from './commands/accounts.js';
import { registerActionCommands } from './commands/action.js';
import { registerConnectionCommands } from './commands/connections.js';
import { registerConnectionPermissionsCommand } from './commands/connections-permissions.js';
import { registerConnectionTestCommand } from './commands/connections-test.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDirectoryCommands } from './commands/directory.js';
import { registerEmulatorCommand } from './commands/emulator.js';
import { registerEventCommands } from './commands/events.js';
import { registerGroupCommands } from './commands/groups.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerMembershipCommands } from './commands/membership.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerServeCommand } from './commands/serve.js';
import { registerStoreCommands } from './commands/store.js';
import { registerSyncCommands } from './commands/sync.js';
import { registerUserCommands } from './commands/users.js';
import { registerWebhookCommands } from './commands/webhooks.js';

/**
 * The command tree. Each group registers itself with one line below; a group's `register…` function receives the
 * program (or its parent group) and the context (lazily opened gatehouse, output helpers).
 */
export function createProgram(ctx: CliContextController): Command {
  const program = new Command('gatehouse')
    .description('Microsoft Entra ID connections: tokens, directory sync, membership checks and identity actions.')
    .option('--data-dir <dir>', 'data directory (env GATEHOUSE_DATA_DIR, default ~/.gatehouse)')
    .option('--json', 'print machine-readable JSON')
    .option('--verbose', 'log failures with their cause and stack trace')
    .option('--log-format <format>', 'log lines on stderr: pretty (default on a terminal) or json (default otherwise)')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
      // runCli prints usage errors itself (code + message + hint, or JSON).
      outputError: () => {},
    });
  program.hook('preAction', (_program, action) => ctx.setGlobals(action.optsWithGlobals()));

  const connections = registerConnectionCommands(program, ctx);
  registerConnectionTestCommand(connections, ctx);
  registerConnectionPermissionsCommand(connections, ctx);
  registerKeyCommands(program, ctx);
  registerDemoCommand(program, ctx);
  registerEmulatorCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerStoreCommands(program, ctx);
  registerUserCommands(program, ctx);
  registerGroupCommands(program, ctx);
  registerActionCommands(program, ctx);
  registerSyncCommands(program, ctx);
  registerDirectoryCommands(program, ctx);
  registerMembershipCommands(program, ctx);
  registerEventCommands(program, ctx);
  registerWebhookCommands(program, ctx);
  registerServeCommand(program, ctx);
  registerAccountCommands(program, ctx);
  return program;
}
