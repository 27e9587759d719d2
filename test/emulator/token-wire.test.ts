import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

/** The token endpoint on the wire: exact error bodies and statuses, which msal hides partly (facts A.5, D.3). */
describe('emulator token endpoint on the wire', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ profile: 'exact', seed: 'wire' });
  });
  after(() => emulator.stop());

  const post = (tenant: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${emulator.url}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
  const base = () => ({
    client_id: emulator.defaultApp.clientId,
    scope: 'https://graph.microsoft.com/.default',
    grant_type: 'client_credentials',
  });

  it('answers an error body in exactly Entra shape, without Retry-After on a 4xx', async () => {
    const res = await post(emulator.tenant.id, { ...base(), client_secret: 'nope', 'x-client-SKU': 'ignored' });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('retry-after'), null);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), [
      'correlation_id',
      'error',
      'error_codes',
      'error_description',
      'error_uri',
      'timestamp',
      'trace_id',
    ]);
    assert.equal(body.error, 'invalid_client');
    assert.deepEqual(body.error_codes, [7000215]);
    assert.match(
      String(body.error_description),
      /^AADSTS7000215: .*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/s,
    );
    assert.match(String(body.timestamp), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    assert.equal(body.error_uri, 'https://login.microsoftonline.com/error?code=7000215');
  });

  it('accepts only POST on the token endpoint (900561)', async () => {
    const res = await fetch(`${emulator.url}/${emulator.tenant.id}/oauth2/v2.0/token`);
    assert.equal(res.status, 400);
    assert.deepEqual(((await res.json()) as { error_codes: number[] }).error_codes, [900561]);
  });

  it('accepts the secret through HTTP Basic', async () => {
    const basic = Buffer.from(
      `${emulator.defaultApp.clientId}:${encodeURIComponent(emulator.connection.ClientSecret)}`,
    ).toString('base64');
    const res = await post(
      emulator.tenant.id,
      { scope: base().scope, grant_type: 'client_credentials' },
      { authorization: `Basic ${basic}` },
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3599);
    assert.equal(body.ext_expires_in, 3599);
    assert.equal(typeof body.access_token, 'string');
  });

  const cases: [string, string, Record<string, string>, number, number, string][] = [
    ['malformed tenant', 'not a tenant', {}, 900023, 400, 'invalid_request'],
    ['placeholder tenant', 'undefined', {}, 900023, 400, 'invalid_request'],
    ['common', 'common', {}, 90019, 400, 'invalid_request'],
    ['no credential', 'TENANT', { client_secret: '' }, 7000218, 401, 'invalid_client'],
    [
      'two resources',
      'TENANT',
      { scope: 'https://graph.microsoft.com/.default https://graph.microsoft.us/.default' },
      70011,
      400,
      'invalid_scope',
    ],
    ['missing scope', 'TENANT', { scope: '' }, 900144, 400, 'invalid_request'],
  ];
  for (const [name, tenant, override, code, status, error] of cases) {
    it(`answers AADSTS${code} for ${name}`, async () => {
      const form: Record<string, string> = { ...base(), client_secret: emulator.connection.ClientSecret, ...override };
      for (const [k, v] of Object.entries(form)) if (v === '') delete form[k];
      const res = await post(tenant === 'TENANT' ? emulator.tenant.id : encodeURIComponent(tenant), form);
      assert.equal(res.status, status);
      const body = (await res.json()) as { error: string; error_codes: number[] };
      assert.equal(body.error, error);
      assert.deepEqual(body.error_codes, [code]);
    });
  }

  it("accepts every cloud's Graph resource and Graph's app id, with aud = that resource", async () => {
    for (const resource of [
      'https://graph.microsoft.us',
      'https://microsoftgraph.chinacloudapi.cn',
      '00000003-0000-0000-c000-000000000000',
    ]) {
      const res = await post(emulator.tenant.id, {
        ...base(),
        scope: `${resource}/.default`,
        client_secret: emulator.connection.ClientSecret,
      });
      assert.equal(res.status, 200);
      const { access_token } = (await res.json()) as { access_token: string };
      const claims = JSON.parse(Buffer.from(access_token.split('.')[1] ?? '', 'base64url').toString()) as {
        aud: string;
      };
      assert.equal(claims.aud, resource);
    }
  });

  it('serves OpenID metadata built from its own origin, and the JWKS with the signing key', async () => {
    const meta = (await (
      await fetch(`${emulator.url}/${emulator.tenant.domain}/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    assert.equal(meta.token_endpoint, `${emulator.url}/${emulator.tenant.id}/oauth2/v2.0/token`);
    assert.equal(meta.issuer, `${emulator.url}/${emulator.tenant.id}/v2.0`);
    for (const key of ['authorization_endpoint', 'jwks_uri', 'end_session_endpoint'])
      assert.ok(meta[key]?.startsWith(emulator.url));
    const jwks = (await (await fetch(meta.jwks_uri as string)).json()) as { keys: { kid: string }[] };
    const common = (await (await fetch(`${emulator.url}/common/discovery/v2.0/keys`)).json()) as {
      keys: { kid: string }[];
    };
    const token = (await (
      await post(emulator.tenant.id, { ...base(), client_secret: emulator.connection.ClientSecret })
    ).json()) as {
      access_token: string;
    };
    const header = JSON.parse(Buffer.from(token.access_token.split('.')[0] ?? '', 'base64url').toString()) as {
      kid: string;
      alg: string;
    };
    assert.equal(header.alg, 'RS256');
    assert.equal(jwks.keys[0]?.kid, header.kid);
    assert.equal(common.keys[0]?.kid, header.kid);
    const unknown = await fetch(`${emulator.url}/${crypto.randomUUID()}/v2.0/.well-known/openid-configuration`);
    assert.equal(unknown.status, 400);
  });
});
