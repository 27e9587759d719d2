import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { startEmulator } from '../../emulator/index.js';
import { type Gatehouse, openGatehouse } from '../../main.js';
import { startServer } from '../../server/start-server.js';
import type { CliContext } from '../cli-context.js';
import { shownValue } from '../shown-value.js';
import { untilInterrupted } from './serve.js';

const DEMO_CONNECTION = 'MS EntraID';

function parseCount(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new AppError('USAGE_ERROR', {
      message: `--${name} ${shownValue(text)} is not a whole number from 0 to ${max}.`,
    });
  }
  return value;
}

/** The demo's own setup, in the audit log like any other change (issue 16 item 13). */
async function auditSetup(
  gatehouse: Gatehouse,
  events: {
    action: string;
    connection?: string;
    target?: string;
    result: 'succeeded' | 'failed';
    errorCode?: string;
  }[],
): Promise<void> {
  const origin = { channel: 'cli' as const, address: hostname() };
  for (const event of events) await gatehouse.audit.record({ actor: 'demo', origin, ...event });
}

/** Starts the server, saying in words when the port is taken (it used to end as INTERNAL). */
async function startDemoServer(gatehouse: Gatehouse, port: number) {
  try {
    return await startServer(gatehouse, { port });
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'EADDRINUSE') {
      throw new AppError('USAGE_ERROR', {
        message: `Port ${port} is already in use.`,
        hint: 'Stop what listens there, or choose another port with --port (0 = any free port).',
      });
    }
    throw error;
  }
}

/**
 * `gatehouse demo` (`npm run demo`): the whole product on one machine with nothing set up. Starts the emulator with
 * a seeded tenant, a gatehouse on a fresh temp data dir (its master key in a file there, so the CLI works beside
 * the running demo with only GATEHOUSE_DATA_DIR), creates the seed's sample connection pointed at the emulator,
 * runs a first sync, starts the server and prints the URL, a demo admin password and how to use the CLI next to it.
 * Ctrl-C stops it all and removes the data dir (unless --keep).
 */
export function registerDemoCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('demo')
    .description('run the emulator, a synced sample connection and the server with the web UI, until Ctrl-C')
    .option('--port <port>', 'web UI and API port (0 = any free port)', '8080')
    .option('--users <n>', 'users in the emulated tenant', '200')
    .option('--groups <n>', 'groups in the emulated tenant', '30')
    .option('--keep', 'keep the temporary data dir (its path is printed)')
    .action(async (options: { port: string; users: string; groups: string; keep?: boolean }) => {
      const out = ctx.output();
      const emulator = await startEmulator({
        users: parseCount('users', options.users, 100_000),
        groups: parseCount('groups', options.groups, 10_000),
        seed: 'gatehouse-demo',
        // The demo meets the tenant as it really is (product.md §9.1): lag, disorder, random 429s.
        profile: 'realistic',
      });
      const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-'));
      // No key in the environment: gatehouse writes master.key (mode 0600) into the data dir, so a CLI pointed at
      // the same data dir can read the demo's secrets too.
      const gatehouse = await openGatehouse({ dataDir, logger: ctx.logger });
      try {
        out.note(`Emulated tenant ${emulator.tenant.id} at ${emulator.url}`);
        // Audited by the connection service, as the demo.
        await gatehouse.connections.create(
          {
            name: DEMO_CONNECTION,
            type: 'EntraID',
            parameters: Object.entries(emulator.connection).map(([key, value]) => ({ key, value })),
          },
          { actor: 'demo', origin: { channel: 'cli', address: hostname() } },
        );
        out.note(`Created the connection '${DEMO_CONNECTION}'; running its first sync…`);
        const report = await gatehouse.sync.run(DEMO_CONNECTION);
        const password = randomBytes(12).toString('base64url');
        await gatehouse.accounts.createAccount({ username: 'admin', password, role: 'admin' });
        const failed = report.status === 'failed';
        await auditSetup(gatehouse, [
          {
            action: 'sync.run',
            connection: DEMO_CONNECTION,
            result: failed ? 'failed' : 'succeeded',
            ...(failed ? { errorCode: report.errors[0]?.code ?? 'INTERNAL' } : {}),
          },
          { action: 'account.create', target: 'admin', result: 'succeeded' },
        ]);
        const server = await startDemoServer(gatehouse, parseCount('port', options.port, 65_535));
        out.result(
          {
            url: server.url,
            username: 'admin',
            password,
            connection: DEMO_CONNECTION,
            sync: report,
            emulator: emulator.url,
            dataDir,
            env: { GATEHOUSE_DATA_DIR: dataDir },
          },
          () => [
            '',
            `  gatehouse demo is running: ${server.url}`,
            '',
            `  Sign in as   admin`,
            `  password     ${password}   (a demo password for this run; it ends with the demo)`,
            '',
            `  Connection '${DEMO_CONNECTION}' synced: ${report.users.added} users, ${report.groups.added} groups, ${report.memberships.added} memberships (${report.status}).`,
            `  API docs: ${server.url}/api/docs · emulator: ${emulator.url}`,
            '',
            `  Data dir     ${dataDir}   (${options.keep ? 'kept after exit (--keep)' : 'removed on exit; --keep keeps it'})`,
            '  Use the CLI beside it, in another terminal:',
            `    export GATEHOUSE_DATA_DIR=${dataDir}`,
            `    gatehouse sync status '${DEMO_CONNECTION}'     (from this checkout: node bin/gatehouse.js …)`,
            '',
            '  Press Ctrl-C to stop.',
          ],
        );
        await untilInterrupted();
        out.note('stopping…');
        await server.close();
      } finally {
        await gatehouse.close();
        await emulator.stop();
        if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
      }
    });
}
