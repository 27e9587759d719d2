import { resolve } from 'node:path';
import { type Config, readConfig } from '../config/read-config.js';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createLogger, isLogFormat, type LogFormat } from '../logging/create-logger.js';
import { type Gatehouse, openGatehouse } from '../main.js';
import type { CliIo } from './cli-io.js';
import { createOutput, type Output } from './output.js';
import { shownValue } from './shown-value.js';

/** Options of a CLI run that tests may inject (the process entry passes none). */
export interface CliRunOptions {
  clock?: Clock;
}

/** The global options every command sees (`--data-dir`, `--json`). */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  /** `--log-format pretty|json` (env GATEHOUSE_LOG_FORMAT): default pretty on a terminal, JSON otherwise. */
  logFormat?: string;
  /** `--verbose`: failures are logged with their cause and stack trace (never shown without it). */
  verbose?: boolean;
}

/** Pretty log lines for a person at a terminal, JSON lines for everything else (a pipe, a file, a collector). */
function logFormatOf(io: CliIo, globals: GlobalOptions): LogFormat {
  const asked = globals.logFormat ?? io.env.GATEHOUSE_LOG_FORMAT?.trim();
  if (asked) {
    if (isLogFormat(asked)) return asked;
    throw new AppError('USAGE_ERROR', {
      message: `The log format ${shownValue(asked)} is not pretty or json.`,
      hint: 'Use --log-format pretty or --log-format json (or GATEHOUSE_LOG_FORMAT).',
    });
  }
  return (io.stderr as { isTTY?: boolean }).isTTY === true ? 'pretty' : 'json';
}

/**
 * What a command group gets: the process io, its output helper, and a gatehouse opened lazily (only commands that
 * need the store open it; `runCli` closes it).
 */
export interface CliContext {
  readonly io: CliIo;
  readonly runOptions: CliRunOptions;
  /** Output for the running command (honours --json). */
  output(): Output;
  /** The validated settings of this run (environment + --data-dir). */
  config(): Config;
  /** The data dir after --data-dir / GATEHOUSE_DATA_DIR / ~/.gatehouse. */
  dataDir(): string;
  /** Opens gatehouse once per run with the global options and environment. */
  gatehouse(): Promise<Gatehouse>;
  /** Resolves a path the user typed relative to the working directory. */
  resolvePath(path: string): string;
  /** Sets the exit code for a run that printed a result but failed (e.g. a failed connection test). */
  setExitCode(code: 0 | 1 | 2): void;
  readonly logger: Logger;
}

export interface CliContextController extends CliContext {
  setGlobals(globals: GlobalOptions): void;
  exitCode(): 0 | 1 | 2;
  /** True with `--verbose` (or GATEHOUSE_VERBOSE=1). */
  verbose(): boolean;
  close(): Promise<void>;
}

export function createCliContext(io: CliIo, runOptions: CliRunOptions, argv: readonly string[]): CliContextController {
  let globals: GlobalOptions = { json: argv.includes('--json'), verbose: argv.includes('--verbose') };
  let opened: Promise<Gatehouse> | undefined;
  let exitCode: 0 | 1 | 2 = 0;
  let logger: Logger | undefined;
  const config = () => readConfig({ env: io.env, cwd: io.cwd, dataDir: globals.dataDir });
  const getLogger = () => {
    logger ??= createLogger({ level: config().logLevel, destination: io.stderr, format: logFormatOf(io, globals) });
    return logger;
  };
  const context: CliContextController = {
    io,
    runOptions,
    get logger() {
      return getLogger();
    },
    output: () => createOutput(io, globals.json === true),
    config,
    dataDir: () => config().dataDir,
    resolvePath: (path) => resolve(io.cwd, path),
    gatehouse() {
      if (!opened) {
        const config_ = config();
        const { dataDir, databaseUrl, databaseSchema, masterKey, allowedEndpointHosts, sessionMaxHours } = config_;
        const logger = getLogger();
        const clock = runOptions.clock ? { clock: runOptions.clock } : {};
        const sessionMax = sessionMaxHours ? { sessionMaxLifetimeMs: sessionMaxHours * 3_600_000 } : {};
        const events = {
          webhookAllowPrivate: config_.webhookAllowPrivate,
          eventRetentionDays: config_.eventRetentionDays,
        };
        opened = openGatehouse({
          dataDir,
          databaseUrl,
          databaseSchema,
          masterKey,
          allowedEndpointHosts,
          logger,
          ...clock,
          ...sessionMax,
          ...events,
        });
      }
      return opened;
    },
    setExitCode(code) {
      exitCode = code;
    },
    setGlobals(next) {
      globals = { ...globals, ...next };
    },
    exitCode: () => exitCode,
    verbose: () => globals.verbose === true || io.env.GATEHOUSE_VERBOSE === '1',
    async close() {
      if (!opened) return;
      const pending = opened;
      opened = undefined;
      await (await pending.catch(() => undefined))?.close();
    },
  };
  return context;
}
