import pino from 'pino';
import type { Logger } from '../core/logger.js';
import { prettyLogLine } from './pretty-log-line.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Paths whose values are replaced by "[redacted]" in every log line: a second line of defence behind the `Secret`
 * type, in case someone logs a raw value under a telling name.
 */
export const REDACTED_PATHS = [
  '*.secret',
  '*.clientSecret',
  '*.ClientSecret',
  '*.client_secret',
  '*.ClientCertificate',
  '*.privateKey',
  '*.password',
  '*.passphrase',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.masterKey',
  '*.clientState',
  'clientState',
  'secret',
  'clientSecret',
  'ClientSecret',
  'password',
  'passphrase',
  'accessToken',
  'authorization',
];

export interface CreateLoggerOptions {
  /** Default `info`. */
  level?: LogLevel;
  /** Where JSON lines go (default: stderr, so stdout stays clean for CLI output). */
  destination?: { write(chunk: string): unknown };
  /** Bound to every line, e.g. `{ component: 'server' }`. */
  bindings?: Record<string, unknown>;
  /**
   * `json` (default): one JSON object per line, for log collectors. `pretty`: one readable line per record, for a
   * person at a terminal (the CLI picks it when stderr is a TTY). Redaction applies to both.
   */
  format?: LogFormat;
}

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export function isLogFormat(value: string): value is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(value);
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * A pino-backed Logger (JSON lines) with secret redaction.
 *
 * @example
 *   const logger = createLogger({ level: 'debug', bindings: { component: 'server' } });
 *   logger.info({ connection: 'hr-prod' }, 'sync started');
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stderr;
  const base = pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: options.bindings ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    {
      write:
        options.format === 'pretty'
          ? (chunk: string) => destination.write(prettyLogLine(chunk))
          : (chunk: string) => destination.write(chunk),
    },
  );
  return wrap(base);
}

function wrap(logger: pino.Logger): Logger {
  return {
    trace: (obj, msg) => logger.trace(obj, msg),
    debug: (obj, msg) => logger.debug(obj, msg),
    info: (obj, msg) => logger.info(obj, msg),
    warn: (obj, msg) => logger.warn(obj, msg),
    error: (obj, msg) => logger.error(obj, msg),
    child: (bindings) => wrap(logger.child(bindings)),
  };
}
