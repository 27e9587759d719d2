import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/** Issue 17 case 6: `gatehouse directory … | head` died with an unhandled EPIPE and a stack trace. */
describe('a reader that closes the pipe early (`| head`)', () => {
  let fx: GatehouseFixture;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 1200, groups: 5, seed: 'epipe' } });
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded');
  });
  after(() => fx.close());

  it('ends the CLI quietly, exit code 0, no stack trace', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', 'directory', 'users', fx.connectionName, '--json', '--limit', '5000'],
      { env: { ...process.env, ...fx.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // `head -c 1`: read the first chunk, then close the read end while the CLI still writes.
    child.stdout.once('data', () => child.stdout.destroy());
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (c, s) => resolve([c, s])),
    );
    assert.deepEqual([code, signal], [0, null], stderr);
    assert.doesNotMatch(stderr, /EPIPE|Error|\n\s+at /);
  });
});
