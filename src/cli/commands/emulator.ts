import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import {
  emulatorSummary,
  emulatorSummaryLines,
  untilSignal,
  writeTlsCertificate,
} from '../../emulator/emulator-summary.js';
import { parseLagRange, startEmulator } from '../../emulator/index.js';
import type { CliContext } from '../cli-context.js';
import { shownPath, shownValue } from '../shown-value.js';

interface EmulatorCliOptions {
  host: string;
  port: string;
  users: string;
  groups: string;
  seed: string;
  latencyMs: string;
  throttleRate: string;
  throttling?: boolean;
  profile: string;
  lagMs?: string;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

function count(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max)
    throw new AppError('USAGE_ERROR', {
      message: `--${name} must be a whole number from 0 to ${max}, got ${shownValue(String(value))}.`,
    });
  return n;
}

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new AppError('USAGE_ERROR', {
      message: `--throttle-rate must be a fraction from 0 to 1, got ${shownValue(String(value))}.`,
    });
  return n;
}

/**
 * `gatehouse emulator`: an offline Entra ID token endpoint + Graph subset with a generated tenant. Prints the
 * connection (text, or one JSON line with --json) and serves until SIGINT/SIGTERM.
 */
export function registerEmulatorCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('emulator')
    .description('run an offline Entra ID + Microsoft Graph emulator with a generated tenant')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '0')
    .option('--users <n>', 'users to generate', '100')
    .option('--groups <n>', 'groups to generate', '20')
    .option('--seed <seed>', 'seed for ids, the default secret and the data', 'gatehouse')
    .option('--latency-ms <ms>', 'latency added to every request', '0')
    .option('--throttle-rate <r>', 'fraction of Graph requests answered 429 with Retry-After', '0')
    .option('--throttling', "enforce Graph's resource-unit budgets (429 when exceeded)")
    .option('--profile <profile>', 'realistic (lag, disorder, random 429s, strict input) or exact', 'realistic')
    .option('--lag-ms <min-max>', 'replication lag per write in ms, e.g. 0-3000 (0 = none)')
    .option('--tls', 'serve https with a fresh self-signed certificate (needed off loopback)')
    .option('--tls-cert <file>', 'serve https with this certificate (PEM); needs --tls-key')
    .option('--tls-key <file>', 'private key (PEM) of --tls-cert')
    .action(async (options: EmulatorCliOptions) => {
      const emulator = await startEmulator({
        host: options.host,
        port: count('port', options.port, 65535),
        users: count('users', options.users, 5_000_000),
        groups: count('groups', options.groups, 500_000),
        seed: options.seed,
        latencyMs: count('latency-ms', options.latencyMs, 600_000),
        throttleRate: rate(options.throttleRate),
        throttling: options.throttling ?? false,
        tls: tlsOption(ctx, options),
        profile: profileOption(options.profile),
        ...(options.lagMs === undefined ? {} : { realism: { replicationLagMs: lagOption(options.lagMs) } }),
      });
      const certificate = writeTlsCertificate(emulator);
      try {
        // One JSON line (not pretty-printed) so a parent process can read the connection from the first line.
        if (ctx.output().json) ctx.io.stdout.write(`${JSON.stringify(emulatorSummary(emulator, certificate.file))}\n`);
        else ctx.io.stdout.write(`${emulatorSummaryLines(emulator, certificate.file).join('\n')}\n`);
        await untilSignal();
      } finally {
        certificate.remove();
        await emulator.stop();
      }
    });
}

function profileOption(value: string): 'realistic' | 'exact' {
  if (value === 'realistic' || value === 'exact') return value;
  throw new AppError('USAGE_ERROR', { message: `--profile must be realistic or exact, got '${value}'.` });
}

function lagOption(value: string): { min: number; max: number } {
  try {
    return parseLagRange(value);
  } catch (cause) {
    throw new AppError('USAGE_ERROR', { message: `--lag-ms must be MS or MIN-MAX, got '${value}'.`, cause });
  }
}

function tlsOption(
  ctx: CliContext,
  options: EmulatorCliOptions,
): true | { certificatePem: string; privateKeyPem: string } | undefined {
  if (Boolean(options.tlsCert) !== Boolean(options.tlsKey))
    throw new AppError('USAGE_ERROR', { message: '--tls-cert and --tls-key go together.' });
  if (options.tlsCert && options.tlsKey) {
    const read = (file: string) => {
      try {
        return readFileSync(ctx.resolvePath(file), 'utf8');
      } catch (cause) {
        throw new AppError('USAGE_ERROR', {
          message: `Cannot read ${shownPath(file)}.`,
          cause,
          hint: 'Check the path.',
        });
      }
    };
    return { certificatePem: read(options.tlsCert), privateKeyPem: read(options.tlsKey) };
  }
  return options.tls ? true : undefined;
}
