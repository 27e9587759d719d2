import { CommanderError } from 'commander';
import { AppError, toAppError } from '../core/errors.js';
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
    const failure = toAppError(error);
    if (failure.code === 'INTERNAL' || ctx.verbose()) logUnexpected(ctx, failure, ctx.verbose());
    return printError(io, json(), failure);
  } finally {
    await ctx.close();
  }
}

/** Unexpected failures print as INTERNAL without their text; the log keeps what is needed to find the bug. */
function logUnexpected(
  ctx: { logger: { error(obj: object, msg?: string): void } },
  error: AppError,
  verbose: boolean,
): void {
  const cause = error.cause !== undefined ? error.cause : error;
  // The stack trace is for whoever debugs (`--verbose`); a user's terminal gets the code, the message and the hint.
  const err =
    verbose || !(cause instanceof Error)
      ? cause
      : { type: cause.name, message: cause.message, ...driverCodeField(cause) };
  try {
    ctx.logger.error({ err, code: error.code }, error.code === 'INTERNAL' ? 'unexpected error' : 'failed');
  } catch {
    // The logger itself may be what failed (e.g. an invalid GATEHOUSE_LOG_LEVEL); the printed error still stands.
  }
}

function driverCodeField(error: Error): { driverCode?: string } {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { driverCode: code } : {};
}

/**
 * `gatehouse directory users X | head`: the reader closes the pipe early, and the next write fails with EPIPE (Node
 * ignores SIGPIPE and reports it as an 'error' event, which had no listener and ended the CLI with a stack trace).
 * A closed stdout or stderr ends the command quietly, with the exit code it has so far (0) — as Unix tools do.
 */
export function exitQuietlyOnClosedPipe(proc: NodeJS.Process = process): void {
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') proc.exit(proc.exitCode ?? 0);
    throw error;
  };
  proc.stdout.on('error', onError);
  proc.stderr.on('error', onError);
  proc.on('SIGPIPE', () => proc.exit(proc.exitCode ?? 0));
}
