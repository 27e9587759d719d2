import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CLIENT, type CliHarness, createCliHarness, TENANT } from './cli-harness.js';

// Issue 12, finding 12 (CLI half): bounded reads of files the CLI is pointed at, and no value echoed in a usage
// error. The REST half is in test/server/robust-inputs.test.ts.
const SECRET = 'Zq8~canaryDEF.ghiJKL_mnoPQR-stuVWX9876';
const devZero = process.platform === 'win32' ? false : '/dev/zero';

describe('robust CLI inputs', () => {
  let h: CliHarness;
  before(async () => {
    h = await createCliHarness();
  });
  after(() => h.close());

  const create = (...extra: string[]) =>
    h.run([
      'connections',
      'create',
      '--name',
      'robust',
      '--type',
      'EntraID',
      '--param',
      `TenantID=${TENANT}`,
      '--param',
      `ClientID=${CLIENT}`,
      ...extra,
      '--json',
    ]);

  test('--param-file KEY=/dev/zero is refused with FILE_TOO_LARGE, not read forever', { skip: !devZero }, async () => {
    const run = await create('--param-file', `ClientSecret=${devZero}`);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr + run.stdout, /FILE_TOO_LARGE/);
  });

  test('connections import /dev/zero is refused with FILE_TOO_LARGE', { skip: !devZero }, async () => {
    const run = await h.run(['connections', 'import', devZero as string, '--json']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr + run.stdout, /FILE_TOO_LARGE/);
  });

  test('action --input @/dev/zero is refused with FILE_TOO_LARGE', { skip: !devZero }, async () => {
    const run = await h.run(['action', 'run', 'robust', 'user.get', '--input', `@${devZero}`, '--json']);
    assert.match(run.stderr + run.stdout, /FILE_TOO_LARGE/);
  });

  for (const mistyped of [`=${SECRET}`, SECRET, ` =${SECRET}`]) {
    test(`a mistyped --param "${mistyped.slice(0, 3)}…" does not echo the value`, async () => {
      const run = await create('--param', mistyped);
      assert.equal(run.code, 2);
      assert.equal((run.stderr + run.stdout).includes(SECRET), false, run.stderr);
      assert.equal((run.stderr + run.stdout).includes(SECRET.slice(0, 12)), false, 'not even a prefix');
    });
  }
});

describe('usage errors quote short words only', () => {
  test('a mistyped role is shown, a pasted secret is not (found by the CLI fuzzer, seed 11)', async () => {
    const { shownValue, withShownValues } = await import('../../src/cli/shown-value.js');
    assert.equal(shownValue('admn'), "'admn'");
    assert.equal(shownValue(`ClientSecret=${SECRET}`), '(51 characters, not shown)');
    assert.equal(withShownValues(`unknown command '${SECRET}'`), 'unknown command (38 characters, not shown)');
    const h = await createCliHarness();
    try {
      const run = await h.run(['accounts', 'create', 'ada', '--role', `ClientSecret=${SECRET}`]);
      assert.equal(run.code, 2);
      assert.equal((run.stdout + run.stderr).includes(SECRET), false, run.stderr);
      const typo = await h.run(['accounts', 'create', 'ada', '--role', 'admn']);
      assert.match(typo.stderr, /'admn'/);
    } finally {
      await h.close();
    }
  });
});

test('a secret given to --param-file or as an import path is not printed (found by the CLI fuzzer, seed 11)', async () => {
  const h = await createCliHarness();
  try {
    for (const secret of [SECRET, SECRET.replace('~', '')]) {
      const asFile = await h.run(['connections', 'import', `ClientSecret=${secret}`]);
      assert.equal(asFile.code, 2);
      assert.equal((asFile.stdout + asFile.stderr).includes(secret), false, asFile.stderr);
    }
    const paramFile = await h.run([
      'connections',
      'create',
      '--name',
      'x',
      '--type',
      'EntraID',
      '--param-file',
      `ClientSecret=${SECRET}`,
    ]);
    assert.equal(paramFile.code, 2);
    assert.equal((paramFile.stdout + paramFile.stderr).includes(SECRET), false, paramFile.stderr);
    const missing = await h.run(['connections', 'import', '/no/such/dir/export.json']);
    assert.match(missing.stderr, /\/no\/such\/dir\/export\.json/, 'a real path is still shown');
  } finally {
    await h.close();
  }
});
