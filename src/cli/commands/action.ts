import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Actor } from '../../actions/action-service.js';
import { describeSets } from '../../actions/permissions.js';
import { AppError, isAppError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../output.js';
import { MAX_DOCUMENT_FILE_BYTES, readBoundedFile, readBoundedStream } from '../read-bounded.js';
import { shownPath } from '../shown-value.js';

/** The CLI's actor for the audit log: the OS user (USER/USERNAME, else the account name), or `cli`. */
export function cliActor(ctx: CliContext): Actor {
  let name = ctx.io.env.USER ?? ctx.io.env.USERNAME;
  if (!name) {
    try {
      name = userInfo().username;
    } catch {
      name = 'cli';
    }
  }
  return { name: name || 'cli', origin: { channel: 'cli', address: hostname() } };
}

/** Runs one action through the opened gatehouse as the CLI's actor. */
export async function runAction(ctx: CliContext, connection: string, action: string, input: unknown): Promise<unknown> {
  const gatehouse = await ctx.gatehouse();
  return gatehouse.actions.run(connection, action, input, cliActor(ctx));
}

async function _readStream(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text;
}

/** `--input JSON`, `--input @file.json` or `--input -` (stdin). */
async function readInput(ctx: CliContext, value: string): Promise<unknown> {
  let text = value;
  if (value === '-') {
    text = await readBoundedStream(
      ctx.io.stdin as AsyncIterable<string | Uint8Array>,
      MAX_DOCUMENT_FILE_BYTES,
      'stdin',
    );
  } else if (value.startsWith('@')) {
    try {
      text = readBoundedFile(ctx.resolvePath(value.slice(1)), MAX_DOCUMENT_FILE_BYTES, shownPath(value.slice(1)));
    } catch (cause) {
      if (isAppError(cause)) throw cause;
      throw new AppError('USAGE_ERROR', {
        message: `Cannot read ${shownPath(value.slice(1))}.`,
        cause,
        hint: 'Check the path.',
      });
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new AppError('ACTION_INVALID_INPUT', {
      message: 'The --input value is not JSON.',
      hint: `Give a JSON object, e.g. --input '{"user":"alice@contoso.com"}', or @file.json, or - for stdin.`,
      cause,
    });
  }
}

/** `gatehouse action run NAME ACTION --input JSON` and `gatehouse action list`. */
export function registerActionCommands(program: Command, ctx: CliContext): Command {
  const group = program.command('action').description('run any identity action (see docs/actions.md)');

  group
    .command('run')
    .description('run an action through a connection; prints its output')
    .argument('<name>', 'connection name')
    .argument('<action>', 'action name, e.g. group.addMember')
    .option('--input <json>', 'the input as JSON, @file.json, or - for stdin', '{}')
    .action(async (name: string, action: string, options: { input: string }) => {
      const output = await runAction(ctx, name, action, await readInput(ctx, options.input));
      if (hasFailures(output)) ctx.setExitCode(1);
      ctx.output().result(output, () => JSON.stringify(output, null, 2));
    });

  group
    .command('list')
    .description('list the actions with the application permissions they need')
    .action(async () => {
      const gatehouse = await ctx.gatehouse();
      const actions = gatehouse.actions.list();
      ctx.output().result(
        actions.map(({ name, summary, write, permissions }) => ({ name, summary, write, permissions })),
        () =>
          formatTable([
            ['ACTION', 'KIND', 'PERMISSIONS'],
            ...actions.map((a) => [a.name, a.write ? 'write' : 'read', describeSets(a.permissions)]),
          ]),
      );
    });
  return group;
}

/** Membership changes report per-member failures in `failed`; any of them makes the command fail (exit 1). */
export function hasFailures(output: unknown): boolean {
  const failed = (output as { failed?: unknown } | null)?.failed;
  return Array.isArray(failed) && failed.length > 0;
}
