import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { GRAPH_SCOPE, msalFor } from './msal-against-emulator.js';

interface Summary {
  url: string;
  tenant: { id: string; domain: string };
  connection: {
    TenantID: string;
    ClientID: string;
    ClientSecret: string;
    AuthorityHost: string;
    GraphEndpoint: string;
  };
  counts: { user: number; group: number };
}

describe('gatehouse emulator (CLI, separate process)', () => {
  it('`gatehouse emulator --users 1000 --groups 100 --json` prints a working connection and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', 'emulator', '--users', '1000', '--groups', '100', '--json'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const first = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
      });
      const summary = JSON.parse(first) as Summary;
      assert.equal(summary.counts.user, 1000);
      assert.equal(summary.counts.group, 100);
      const c = summary.connection;
      assert.equal(c.AuthorityHost, summary.url);
      assert.equal(c.GraphEndpoint, summary.url);
      const result = await msalFor(c.AuthorityHost, c.TenantID, c.ClientID, {
        clientSecret: c.ClientSecret,
      }).acquireTokenByClientCredential({
        scopes: GRAPH_SCOPE,
      });
      const users = await fetch(`${c.GraphEndpoint}/v1.0/users?$top=999&$select=id`, {
        headers: { authorization: `Bearer ${result?.accessToken}` },
      });
      assert.equal(users.status, 200);
      const body = (await users.json()) as { value: unknown[]; '@odata.nextLink'?: string };
      assert.equal(body.value.length, 999);
      assert.ok(body['@odata.nextLink']);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
