import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DoctorReport } from '../../src/doctor/doctor-report.js';
import type { PermissionPlan } from '../../src/doctor/permission-plan.js';
import type { RegisteredApp } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { type Caller, startTestServer, type TestServer } from './server-harness.js';

/**
 * The admin-consent round trip (product.md 9.3, facts G.3) with the emulator's consent page: gatehouse hands out a
 * URL with a single-use state, Entra redirects back to /consent/callback, gatehouse checks the state, audits the
 * outcome and re-runs the connection test.
 */
const PUBLIC_URL = 'https://gatehouse.example.test';
const CALLBACK = `${PUBLIC_URL}/consent/callback`;
let server: TestServer;
let admin: Caller;
let viewer: Caller;
let app: RegisteredApp;
let logs = '';
const states: string[] = [];

before(async () => {
  server = await startTestServer({
    publicUrl: PUBLIC_URL,
    logger: createLogger({ level: 'trace', destination: { write: (chunk: string) => (logs += chunk) } }),
  });
  admin = await server.session('admin');
  viewer = await server.token('viewer');
  const { emulator } = server.fixture;
  app = emulator.registerApp({
    applicationPermissions: ['User.Read.All', 'GroupMember.Read.All'],
    adminConsented: false,
  });
  emulator.consent.registerRedirectUri(app.clientId, CALLBACK);
  await server.fixture.createConnectionFor('needs-consent', app);
});
after(() => server.close());

async function startConsent(name = 'needs-consent') {
  const response = await server.app.inject({
    method: 'POST',
    url: `/api/v1/connections/${name}/consent`,
    headers: admin.headers,
    payload: {},
  });
  return response;
}

/** Opens the consent URL at the emulator (the administrator's browser) and returns where Entra redirects. */
async function consentPage(url: string): Promise<URL> {
  const state = new URL(url).searchParams.get('state');
  if (state) states.push(state);
  const response = await fetch(url, { redirect: 'manual' });
  assert.equal(response.status, 302, await response.text());
  return new URL(response.headers.get('location') ?? '');
}

async function callback(location: URL) {
  return server.app.inject({ method: 'GET', url: `${location.pathname}${location.search}` });
}

async function consentAudit() {
  const response = await server.app.inject({
    method: 'GET',
    url: '/api/v1/audit?action=connection.consent',
    headers: admin.headers,
  });
  return response.json() as {
    result: string;
    errorCode?: string;
    connection?: string;
    actor: string;
    details: Record<string, unknown>;
  }[];
}

describe('admin consent round trip', () => {
  it('the plan over REST points at the v2 consent endpoint with the callback as redirect URI', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/api/v1/connections/needs-consent/permissions?capability=syncUsers&capability=syncGroups',
      headers: viewer.headers,
    });
    assert.equal(response.statusCode, 200, response.body);
    const plan = response.json() as PermissionPlan;
    assert.deepEqual(plan.capabilities, ['syncUsers', 'syncGroups']);
    const url = new URL(plan.adminConsentUrl ?? '');
    assert.equal(url.pathname, `/${server.fixture.emulator.tenant.id}/v2.0/adminconsent`);
    assert.equal(url.searchParams.get('redirect_uri'), CALLBACK);
  });

  it('granted: the callback checks the state, audits admin_consent and re-runs the test, which now passes', async () => {
    const before = await server.app.inject({
      method: 'POST',
      url: '/api/v1/connections/needs-consent/test',
      headers: admin.headers,
      payload: {},
    });
    const failing = before.json() as DoctorReport;
    assert.equal(failing.ok, false);
    const plan = failing.checks.find((c) => c.id === 'permissions')?.details?.plan as PermissionPlan;
    assert.equal(
      new URL(plan.adminConsentUrl ?? '').searchParams.get('redirect_uri'),
      CALLBACK,
      'the test report links the round trip',
    );

    const started = await startConsent();
    assert.equal(started.statusCode, 200, started.body);
    const location = await consentPage(started.json().url);
    assert.equal(location.origin + location.pathname, CALLBACK);
    assert.equal(location.searchParams.get('admin_consent'), 'True');
    const done = await callback(location);
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.headers['content-type'] as string, /text\/html/);
    assert.match(done.body, /Admin consent granted/);
    assert.match(done.body, /data-test="passed"/);
    const [event] = await consentAudit();
    assert.equal(event?.result, 'succeeded');
    assert.equal(event?.connection, 'needs-consent');
    assert.equal(event?.actor, 'admin', 'the admin who started it');
    assert.equal(event?.details.tenant, server.fixture.emulator.tenant.id);
    assert.equal(event?.details.testOk, true);
    const shown = await server.fixture.runCli(['connections', 'show', 'needs-consent', '--json']);
    assert.equal(shown.json<{ lastTest: { ok: boolean } }>().lastTest.ok, true);

    // The same callback again: the state was single use.
    const replay = await callback(location);
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /CONSENT_STATE_INVALID/);
  });

  it('denied: error is read first although admin_consent=True is sent too; audited as CONSENT_DENIED', async () => {
    const { emulator } = server.fixture;
    const other = emulator.registerApp({ applicationPermissions: ['User.Read.All'], adminConsented: false });
    emulator.consent.registerRedirectUri(other.clientId, CALLBACK);
    await server.fixture.createConnectionFor('will-be-denied', other);
    emulator.consent.nextDecision('deny');
    const location = await consentPage((await startConsent('will-be-denied')).json().url);
    assert.equal(location.searchParams.get('admin_consent'), 'True');
    assert.equal(location.searchParams.get('error'), 'consent_required');
    const done = await callback(location);
    assert.equal(done.statusCode, 403);
    assert.match(done.body, /not<\/strong> granted/);
    const [event] = await consentAudit();
    assert.equal(event?.result, 'failed');
    assert.equal(event?.errorCode, 'CONSENT_DENIED');
    assert.equal(event?.details.error, 'consent_required');
    assert.match(String(event?.details.description), /^AADSTS65004/);
    assert.doesNotMatch(String(event?.details.description), /Trace ID/);
  });

  it('a wrong or missing state is refused with a code and hint, and nothing is changed', async () => {
    const before = await consentAudit();
    const lastTestBefore = (await server.fixture.gatehouse.connections.get('needs-consent')).lastTest;
    for (const query of ['?state=forged-state-value&admin_consent=True&tenant=evil', '?admin_consent=True']) {
      const response = await server.app.inject({ method: 'GET', url: `/consent/callback${query}` });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /CONSENT_STATE_INVALID/);
      assert.match(response.body, /Start the admin consent again/);
    }
    const after = await consentAudit();
    assert.equal(after.length, before.length + 2, 'each refusal is audited');
    assert.equal(after[0]?.errorCode, 'CONSENT_STATE_INVALID');
    assert.deepEqual(
      (await server.fixture.gatehouse.connections.get('needs-consent')).lastTest,
      lastTestBefore,
      'no test ran',
    );
  });

  it('the round trip needs an admin; viewers get 403', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/connections/needs-consent/consent',
      headers: viewer.headers,
      payload: {},
    });
    assert.equal(response.statusCode, 403);
  });

  it('canary: no state value reaches the audit log or the logs', async () => {
    assert.ok(states.length >= 2 && logs.length > 0);
    const audit = JSON.stringify(
      (await server.app.inject({ method: 'GET', url: '/api/v1/audit', headers: admin.headers })).json(),
    );
    for (const state of states) {
      assert.equal(audit.includes(state), false, 'state in the audit log');
      assert.equal(logs.includes(state), false, 'state in the logs');
    }
  });
});

describe('without --public-url', () => {
  it('starting the round trip answers CONSENT_PUBLIC_URL_REQUIRED with a hint', async () => {
    const plain = await startTestServer();
    try {
      const caller = await plain.session('admin');
      const response = await plain.app.inject({
        method: 'POST',
        url: `/api/v1/connections/${plain.fixture.connectionName}/consent`,
        headers: caller.headers,
        payload: {},
      });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, 'CONSENT_PUBLIC_URL_REQUIRED');
      assert.match(response.json().error.hint, /--public-url/);
    } finally {
      await plain.close();
    }
  });
});
