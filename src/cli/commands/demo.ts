import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { startEmulator } from '../../emulator/index.js';
import { openGatehouse } from '../../main.js';
import { startServer } from '../../server/start-server.js';
import type { CliContext } from '../cli-context.js';
import { untilInterrupted } from './serve.js';

const DEMO_CONNECTION = 'MS EntraID';

function parseCount(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new AppError('USAGE_ERROR', { message: `--${name} '${text}' is not a whole number from 0 to ${max}.` });
  }
  return value;
}

/**
 * `gatehouse demo` (`npm run demo`): the whole product on one machine with nothing set up. Starts the emulator with
 * a seeded tenant, a gatehouse on a fresh temp data dir, creates the seed's sample connection pointed at the
 * emulator, runs a first sync, starts the server and prints the URL and a one-time admin login. Ctrl-C stops it
 * all and removes the data dir.
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
      });
      const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-'));
      const gatehouse = await openGatehouse({
        dataDir,
        logger: ctx.logger,
        masterKey: randomBytes(32).toString('base64'),
      });
      try {
        out.note(`Emulated tenant ${emulator.tenant.id} at ${emulator.url}`);
        await gatehouse.connections.create({
          name: DEMO_CONNECTION,
          type: 'EntraID',
          parameters: Object.entries(emulator.connection).map(([key, value]) => ({ key, value })),
        });
        out.note(`Created the connection '${DEMO_CONNECTION}'; running its first sync…`);
        const report = await gatehouse.sync.run(DEMO_CONNECTION);
        const password = randomBytes(12).toString('base64url');
        await gatehouse.accounts.createAccount({ username: 'admin', password, role: 'admin' });
        const server = await startServer(gatehouse, { port: parseCount('port', options.port, 65_535) });
        out.result(
          {
            url: server.url,
            username: 'admin',
            password,
            connection: DEMO_CONNECTION,
            sync: report,
            emulator: emulator.url,
            ...(options.keep ? { dataDir } : {}),
          },
          () => [
            '',
            `  gatehouse demo is running: ${server.url}`,
            '',
            `  Sign in as   admin`,
            `  password     ${password}   (one-time demo login; the data dir is removed on exit)`,
            '',
            `  Connection '${DEMO_CONNECTION}' synced: ${report.users.added} users, ${report.groups.added} groups, ${report.memberships.added} memberships (${report.status}).`,
            `  API docs: ${server.url}/api/docs · emulator: ${emulator.url}${options.keep ? ` · data dir: ${dataDir}` : ''}`,
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
