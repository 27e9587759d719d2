import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseAllowedEndpointHosts } from '../connections/secret-binding.js';
import { AppError } from '../core/errors.js';
import { isLogLevel, type LogLevel } from '../logging/create-logger.js';

/** The process-level settings, read once from the environment (and --data-dir), validated, frozen. */
export interface Config {
  /** Absolute data dir: --data-dir, else GATEHOUSE_DATA_DIR, else ~/.gatehouse. */
  readonly dataDir: string;
  /** GATEHOUSE_DATABASE_URL (`postgres://…`); undefined = SQLite in the data dir. */
  readonly databaseUrl?: string;
  /** GATEHOUSE_DATABASE_SCHEMA: PostgreSQL schema (default `public`). */
  readonly databaseSchema?: string;
  /** GATEHOUSE_MASTER_KEY (base64 of 32 bytes); undefined = master.key in the data dir. */
  readonly masterKey?: string;
  /** GATEHOUSE_ALLOWED_ENDPOINT_HOSTS: hosts beyond Microsoft's clouds and loopback a connection may name. */
  readonly allowedEndpointHosts: readonly string[];
  /** GATEHOUSE_LOG_LEVEL (default `warn` for the CLI, `info` for the server). */
  readonly logLevel: LogLevel;
  /** GATEHOUSE_SESSION_MAX_HOURS: absolute lifetime of a login session (default 24, 1 to 720). */
  readonly sessionMaxHours?: number;
  /** GATEHOUSE_WEBHOOK_ALLOW_PRIVATE=1: webhooks may target private and link-local addresses. */
  readonly webhookAllowPrivate?: boolean;
  /** GATEHOUSE_EVENT_RETENTION_DAYS: how long directory events are kept (default 30). */
  readonly eventRetentionDays?: number;
}

export interface ReadConfigOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths resolve against this. */
  cwd: string;
  /** --data-dir, which wins over GATEHOUSE_DATA_DIR. */
  dataDir?: string;
  defaultLogLevel?: LogLevel;
}

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** Reads and validates the configuration; a bad value throws CONFIG_INVALID naming the variable and its form. */
export function readConfig(options: ReadConfigOptions): Config {
  const { env } = options;
  const dataDir = resolve(
    options.cwd,
    options.dataDir ?? nonEmpty(env.GATEHOUSE_DATA_DIR) ?? resolve(nonEmpty(env.HOME) ?? homedir(), '.gatehouse'),
  );
  const databaseUrl = nonEmpty(env.GATEHOUSE_DATABASE_URL);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('CONFIG_INVALID', {
      message: 'GATEHOUSE_DATABASE_URL must start with postgres:// or postgresql:// (unset it to use SQLite).',
      details: { variable: 'GATEHOUSE_DATABASE_URL' },
    });
  }
  const databaseSchema = nonEmpty(env.GATEHOUSE_DATABASE_SCHEMA);
  if (databaseSchema && !/^[a-z_][a-z0-9_]{0,62}$/i.test(databaseSchema)) {
    throw new AppError('CONFIG_INVALID', {
      message: 'GATEHOUSE_DATABASE_SCHEMA must be a plain SQL identifier (letters, digits, underscores).',
      details: { variable: 'GATEHOUSE_DATABASE_SCHEMA' },
    });
  }
  const logLevel = nonEmpty(env.GATEHOUSE_LOG_LEVEL) ?? options.defaultLogLevel ?? 'warn';
  if (!isLogLevel(logLevel)) {
    throw new AppError('CONFIG_INVALID', {
      message: `GATEHOUSE_LOG_LEVEL '${logLevel}' is not one of trace, debug, info, warn, error, fatal, silent.`,
      details: { variable: 'GATEHOUSE_LOG_LEVEL' },
    });
  }
  const sessionMaxText = nonEmpty(env.GATEHOUSE_SESSION_MAX_HOURS);
  const sessionMaxHours = sessionMaxText === undefined ? undefined : Number(sessionMaxText);
  if (
    sessionMaxHours !== undefined &&
    !(Number.isInteger(sessionMaxHours) && sessionMaxHours >= 1 && sessionMaxHours <= 720)
  ) {
    throw new AppError('CONFIG_INVALID', {
      message: 'GATEHOUSE_SESSION_MAX_HOURS must be a whole number of hours from 1 to 720.',
      details: { variable: 'GATEHOUSE_SESSION_MAX_HOURS' },
    });
  }
  const retention = nonEmpty(env.GATEHOUSE_EVENT_RETENTION_DAYS);
  if (retention !== undefined && !/^[1-9]\d{0,3}$/.test(retention)) {
    throw new AppError('CONFIG_INVALID', {
      message: 'GATEHOUSE_EVENT_RETENTION_DAYS must be a number of days (1 to 9999).',
      details: { variable: 'GATEHOUSE_EVENT_RETENTION_DAYS' },
    });
  }
  return Object.freeze({
    ...(sessionMaxHours === undefined ? {} : { sessionMaxHours }),
    dataDir,
    databaseUrl,
    databaseSchema,
    masterKey: nonEmpty(env.GATEHOUSE_MASTER_KEY),
    allowedEndpointHosts: Object.freeze(parseAllowedEndpointHosts(env.GATEHOUSE_ALLOWED_ENDPOINT_HOSTS)),
    logLevel,
    ...(nonEmpty(env.GATEHOUSE_WEBHOOK_ALLOW_PRIVATE) === '1' ? { webhookAllowPrivate: true } : {}),
    ...(retention ? { eventRetentionDays: Number(retention) } : {}),
  });
}
