import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startEmulator } from '../../src/emulator/index.js';

function getJson(url: string, ca: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    })
      .on('error', reject)
      .end();
  });
}

describe('emulator over https', () => {
  it('serves https with a self-signed certificate and builds its links from the https origin', async () => {
    const emulator = await startEmulator({ seed: 'tls', tls: true });
    try {
      assert.ok(emulator.url.startsWith('https://127.0.0.1:'));
      const ca = emulator.tlsCertificatePem as string;
      const meta = await getJson(`${emulator.url}/${emulator.tenant.id}/v2.0/.well-known/openid-configuration`, ca);
      assert.equal(meta.status, 200);
      assert.equal(meta.body.token_endpoint, `${emulator.url}/${emulator.tenant.id}/oauth2/v2.0/token`);
      assert.equal(meta.body.issuer, `${emulator.url}/${emulator.tenant.id}/v2.0`);
    } finally {
      await emulator.stop();
    }
  });

  it('works with the real msal-node default client: https authority + knownAuthorities + OIDC discovery', async () => {
    const emulator = await startEmulator({ seed: 'tls-msal', tls: true });
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-emulator-tls-'));
    try {
      const caFile = join(dir, 'emulator.pem');
      writeFileSync(caFile, emulator.tlsCertificatePem as string);
      const { TenantID, ClientID, ClientSecret } = emulator.connection;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'test/emulator/msal-https-child.ts', emulator.url, TenantID, ClientID, ClientSecret],
        { env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile } },
      );
      assert.deepEqual(JSON.parse(stdout), { aud: 'https://graph.microsoft.com' });
      const paths = emulator.requestLog().map((e) => `${e.method} ${e.path.split('?')[0]}`);
      assert.deepEqual(paths, [
        `GET /${TenantID}/v2.0/.well-known/openid-configuration`,
        `POST /${TenantID}/oauth2/v2.0/token`,
      ]);
    } finally {
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
