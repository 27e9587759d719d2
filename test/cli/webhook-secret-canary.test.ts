import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { type CliHarness, type CliRun, createCliHarness } from './cli-harness.js';

/**
 * A webhook's signing secret is printed once, by `webhooks create`, and nowhere else: not in other commands' output,
 * not in trace-level logs, not in plain text in the database files; and it survives a master-key rotation.
 */
describe('webhook secret canary', () => {
  let h: CliHarness;
  let secret = '';
  let verified = 0;
  const runs: { args: string[]; run: CliRun }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
    verified++;
    res.writeHead(204).end();
  });
  const cli = async (args: string[]) => {
    const run = await h.run(args, { GATEHOUSE_LOG_LEVEL: 'trace' });
    runs.push({ args, run });
    return run;
  };

  before(async () => {
    h = await createCliHarness();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const created = await h.run(['webhooks', 'create', '--name', 'canary', '--url', url, '--json'], {
      GATEHOUSE_LOG_LEVEL: 'trace',
    });
    assert.equal(created.code, 0, created.stderr);
    secret = created.json<{ secret: string }>().secret;
    assert.ok(!created.stderr.includes(secret), 'not in the logs of create either');
    await cli(['webhooks', 'create', '--name', 'canary', '--url', url]);
    for (const json of [[], ['--json']]) {
      await cli(['webhooks', 'list', ...json]);
      await cli(['webhooks', 'show', 'canary', ...json]);
      await cli(['webhooks', 'test', 'canary', ...json]);
      await cli(['webhooks', 'deliveries', 'canary', ...json]);
    }
    await cli(['keys', 'rotate']);
    await cli(['webhooks', 'test', 'canary', '--json']);
  });
  after(async () => {
    server.close();
    await h.close();
  });

  test('no other output or log line holds the secret', () => {
    assert.ok(
      runs.some(({ run }) => run.stderr.includes('"level":')),
      'log lines were written',
    );
    for (const { args, run } of runs) {
      assert.ok(!run.stdout.includes(secret.slice(6)), `stdout of ${args.join(' ')}`);
      assert.ok(!run.stderr.includes(secret.slice(6)), `stderr of ${args.join(' ')}`);
    }
  });

  test('pings verify with the secret, also after a master-key rotation', () => {
    const tests = runs.filter(({ args }) => args[1] === 'test');
    assert.deepEqual(
      tests.map(({ run }) => run.code),
      [0, 0, 0],
      tests.map(({ run }) => run.stderr).join('\n'),
    );
    assert.equal(verified, 3);
  });

  test('the database files hold no plain secret', () => {
    if (h.store.databaseUrl) return; // PostgreSQL: no files of ours
    for (const file of readdirSync(h.dataDir)) {
      if (!/\.(db|sqlite)(-wal|-shm)?$|gatehouse/.test(file)) continue;
      const bytes = readFileSync(join(h.dataDir, file));
      assert.ok(!bytes.includes(secret.slice(6)), file);
      assert.ok(!bytes.includes(Buffer.from(secret.slice(6), 'base64')), `${file} (raw key)`);
    }
  });
});
