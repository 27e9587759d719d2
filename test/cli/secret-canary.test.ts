import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CliHarness, type CliRun, createCliHarness, entraParams } from './cli-harness.js';

/**
 * product.md section 8: a secret set through the CLI appears nowhere in plain text — not in the database files
 * (including the WAL), not in any CLI output (text or JSON, every connections subcommand, errors included), not in
 * trace-level logs, and not in an export without --include-secrets.
 */
const CANARY = `Canary~${randomBytes(18).toString('base64url')}`;
const CANARY_2 = `Canary2~${randomBytes(18).toString('base64url')}`;

describe('secret canary', () => {
  let h: CliHarness;
  const runs: { args: string[]; run: CliRun }[] = [];
  const cli = async (args: string[]) => {
    const run = await h.run(args, { GATEHOUSE_LOG_LEVEL: 'trace' });
    runs.push({ args, run });
    return run;
  };

  before(async () => {
    h = await createCliHarness();
    const passFile = join(h.dataDir, 'pass.txt');
    writeFileSync(passFile, 'a passphrase for the canary test');
    for (const json of [[], ['--json']]) {
      const suffix = json.length ? ' json' : ' text';
      const name = `Canary${suffix}`;
      await cli(['connections', 'create', '--name', name, '--type', 'EntraID', ...entraParams(` ${CANARY} `), ...json]);
      await cli(['connections', 'list', ...json]);
      await cli(['connections', 'show', name, ...json]);
      await cli(['connections', 'update', name, '--param', 'Cloud=USGov', ...json]);
      await cli(['connections', 'update', name, '--param', `ClientSecret=${CANARY_2}`, ...json]);
      await cli(['connections', 'update', name, '--param', `ClientSecret=${CANARY}`, ...json]);
      await cli(['connections', 'copy', name, `${name} copy`, ...json]);
      const exported = await cli(['connections', 'export', name, ...json]);
      const exportFile = join(h.dataDir, `export${suffix}.json`);
      writeFileSync(exportFile, exported.stdout);
      await cli([
        'connections',
        'import',
        exportFile,
        '--name',
        `${name} imported`,
        '--param',
        `ClientSecret=${CANARY}`,
        ...json,
      ]);
      const sealed = await cli([
        'connections',
        'export',
        name,
        '--include-secrets',
        '--passphrase-file',
        passFile,
        ...json,
      ]);
      writeFileSync(join(h.dataDir, `sealed${suffix}.json`), sealed.stdout);
      await cli([
        'connections',
        'import',
        join(h.dataDir, `sealed${suffix}.json`),
        '--name',
        `${name} sealed`,
        '--passphrase-file',
        passFile,
        ...json,
      ]);
      // Failures that carry the secret in their input must not echo it either.
      await cli(['connections', 'create', '--name', name, '--type', 'EntraID', ...entraParams(CANARY), ...json]);
      await cli([
        'connections',
        'create',
        '--name',
        'Bad',
        '--type',
        'EntraID',
        ...entraParams(CANARY, ['Cloud=Mars']),
        ...json,
      ]);
      await cli([
        'connections',
        'create',
        '--name',
        'Bad',
        '--type',
        'EntraID',
        ...entraParams(CANARY, [`Bogus=${CANARY}`]),
        ...json,
      ]);
      await cli([
        'connections',
        'update',
        name,
        '--param',
        `ClientSecret=${CANARY}`,
        '--expected-version',
        '1',
        ...json,
      ]);
      await cli(['keys', 'rotate', ...json]);
      await cli(['connections', 'remove', `${name} copy`, ...json]);
    }
  });
  after(() => h.close());

  test('the commands ran (the canary went through create, update, copy, export and import)', () => {
    const failedUnexpectedly = runs.filter(
      ({ args, run }) =>
        run.code !== 0 &&
        !args.includes('Bad') &&
        !args.includes('--expected-version') &&
        !(args[1] === 'create' && args[3]?.startsWith('Canary')),
    );
    assert.deepEqual(
      failedUnexpectedly.map(({ args, run }) => `${args.join(' ')} → ${run.code} ${run.stderr}${run.stdout}`),
      [],
    );
    assert.ok(
      runs.some(({ run }) => run.stderr.includes('"level":10')),
      'trace-level log lines were written',
    );
  });

  test('no CLI output, log line or error contains the secret', () => {
    for (const { args, run } of runs) {
      for (const secret of [CANARY, CANARY_2]) {
        assert.ok(!run.stdout.includes(secret), `stdout of ${args.join(' ')} holds the secret`);
        assert.ok(!run.stderr.includes(secret), `stderr of ${args.join(' ')} holds the secret`);
      }
    }
  });

  test('the exports hold no plain secret, with or without --include-secrets', () => {
    const files = readdirSync(h.dataDir).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 4);
    for (const file of files) assert.ok(!readFileSync(join(h.dataDir, file), 'utf8').includes(CANARY), file);
  });

  test('the database files (incl. -wal and -shm) never hold the secret in plain text', async (t) => {
    if (h.store.engine !== 'sqlite') {
      t.skip('the byte scan reads the SQLite files; PostgreSQL stores the same envelopes');
      return;
    }
    const files = readdirSync(h.dataDir).filter((f) => f.startsWith('gatehouse.db'));
    assert.ok(files.includes('gatehouse.db'), files.join(', '));
    for (const file of files) {
      const bytes = readFileSync(join(h.dataDir, file));
      for (const secret of [CANARY, CANARY_2]) {
        assert.equal(bytes.indexOf(Buffer.from(secret)), -1, `${file} holds the secret`);
        assert.equal(bytes.indexOf(Buffer.from(secret, 'utf16le')), -1, `${file} holds the secret (UTF-16)`);
      }
    }
  });
});
