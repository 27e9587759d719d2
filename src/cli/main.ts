import { CommanderError } from 'commander';
import { AppError } from '../core/errors.js';
import { type CliRunOptions, createCliContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { printError } from './output.js';
import { createProgram } from './program.js';
import { withShownValues } from './shown-value.js';

export type { CliIo } from './cli-io.js';

/** Commander outcomes that are not failures. */
const CLEAN_EXITS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * Runs one gatehouse command in-process and returns its exit code: 0 ok, 1 the operation failed, 2 bad usage or
 * input. Never calls process.exit, so tests call it directly.
 *
 * @example
 *   const code = await runCli(['connections', 'list', '--json'], { stdout, stderr, stdin, env, cwd });
 */
export async function runCli(argv: readonly string[], io: CliIo, options: CliRunOptions = {}): Promise<number> {
  const ctx = createCliContext(io, options, argv);
  const json = () => ctx.output().json;
  try {
    await createProgram(ctx).parseAsync([...argv], { from: 'user' });
    return ctx.exitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      if (CLEAN_EXITS.has(error.code)) return error.exitCode === 0 ? 0 : 2;
      return printError(
        io,
        json(),
        new AppError('USAGE_ERROR', {
          message: withShownValues(error.message.replace(/^error: /, '')),
          details: { commanderCode: error.code },
        }),
      );
    }
    if (!(error instanceof AppError) || error.code === 'INTERNAL') logUnexpected(ctx, error);
    return printError(io, json(), error);
  } finally {
    await ctx.close();
  }
}

/** Unexpected failures print as INTERNAL without their text; the log keeps what is needed to find the bug. */
function logUnexpected(ctx: { logger: { error(obj: object, msg?: string): void } }, error: unknown): void {
  const cause = error instanceof AppError && error.cause !== undefined ? error.cause : error;
  try {
    ctx.logger.error({ err: cause }, 'unexpected error');
  } catch {
    // The logger itself may be what failed (e.g. an invalid GATEHOUSE_LOG_LEVEL); the printed error still stands.
  }
}
