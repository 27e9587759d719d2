import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

/** The dev entry as a real process: exit codes reach the shell, JSON goes to stdout, errors to stderr. */
test('node src/cli/bin.ts: create and list in a real process, with exit codes 0 and 2', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bin-'));
  try {
    const gatehouse = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', '--data-dir', dataDir, ...args], {
        encoding: 'utf8',
        env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'silent', GATEHOUSE_MASTER_KEY: '', GATEHOUSE_DATABASE_URL: '' },
      });
    const created = gatehouse(
      'connections',
      'create',
      '--name',
      'MS EntraID',
      '--type',
      'EntraID',
      '--param',
      'TenantID=contoso.onmicrosoft.com',
      '--param',
      'ClientID=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      '--param',
      'ClientSecret=abc8Q~value.0123456789',
    );
    assert.equal(created.status, 0, created.stderr);
    const listed = gatehouse('connections', 'list', '--json');
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(
      JSON.parse(listed.stdout).map((c: { name: string }) => c.name),
      ['MS EntraID'],
    );
    const refused = gatehouse(
      'connections',
      'create',
      '--name',
      'x',
      '--type',
      'EntraID',
      '--param',
      'TenantID=common',
    );
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /^error CONNECTION_INVALID_PARAMETER: .*\nhint: /m);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
