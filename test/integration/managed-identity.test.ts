import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { DoctorCheck, DoctorReport } from '../../src/doctor/doctor-report.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/**
 * ManagedIdentity through the real msal-node ManagedIdentityApplication against the emulator's IMDS and App Service
 * endpoints (facts H.4). msal picks the source from the environment once per process and keeps it, so each case runs
 * `gatehouse connections test` in a child process with the environment msal documents
 * (AZURE_POD_IDENTITY_AUTHORITY_HOST for IMDS, IDENTITY_ENDPOINT + IDENTITY_HEADER for App Service).
 */
let fx: GatehouseFixture;
let blackhole: Server;
let blackholeUrl: string;

before(async () => {
  fx = await startGatehouseFixture({
    emulator: { seed: 'managed-identity', profile: 'exact' },
    createConnection: false,
  });
  // Accepts connections and never answers: an IMDS that hangs.
  blackhole = createServer(() => {});
  await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
  const address = blackhole.address();
  assert.ok(address && typeof address === 'object');
  blackholeUrl = `http://127.0.0.1:${address.port}`;
});

after(async () => {
  blackhole.close();
  await fx.close();
});

interface ChildRun {
  code: number;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** `gatehouse ARGS` in a child process (the parent keeps serving the emulator meanwhile). */
function gatehouse(args: string[], env: Record<string, string>): Promise<ChildRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', ...args],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          PATH: process.env.PATH ?? '',
          ...fx.env,
          GATEHOUSE_LOG_LEVEL: 'trace',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, elapsedMs: Date.now() - started });
      },
    );
  });
}

const imds = () => ({ AZURE_POD_IDENTITY_AUTHORITY_HOST: fx.emulator.url });
const appService = (header = fx.emulator.managedIdentity.identityHeader) => ({
  IDENTITY_ENDPOINT: fx.emulator.managedIdentity.appServiceEndpoint,
  IDENTITY_HEADER: header,
});

async function miConnection(name: string, identity: 'system' | 'user', clientId: string): Promise<void> {
  await fx.gatehouse.connections.create({
    name,
    type: 'EntraID',
    parameters: Object.entries({
      TenantID: fx.emulator.tenant.id,
      ClientID: clientId,
      ManagedIdentity: identity,
      AuthorityHost: fx.emulator.url,
      GraphEndpoint: fx.emulator.url,
    }).map(([key, value]) => ({ key, value })),
  });
}

async function testIn(name: string, env: Record<string, string>): Promise<{ run: ChildRun; report: DoctorReport }> {
  const run = await gatehouse(['connections', 'test', name, '--json'], env);
  let report: DoctorReport;
  try {
    report = JSON.parse(run.stdout) as DoctorReport;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr.slice(-2000)}`);
  }
  return { run, report };
}

function token(report: DoctorReport): DoctorCheck {
  const check = report.checks.find((c) => c.id === 'token');
  assert.ok(check);
  return check;
}

/** A Graph token (three base64url parts starting with a JSON header) must never reach output or logs. */
function assertNoToken(run: ChildRun): void {
  assert.doesNotMatch(`${run.stdout}\n${run.stderr}`, /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/);
}

describe('ManagedIdentity against the emulated IMDS and App Service endpoints', () => {
  it('system-assigned on IMDS: a token with the identity’s roles, asked for as msal does (trailing slash, Metadata)', async () => {
    const system = fx.emulator.managedIdentity.enableSystemAssigned({
      roles: ['User.Read.All', 'GroupMember.Read.All'],
    });
    await miConnection('mi-system', 'system', system.clientId);
    fx.emulator.clearRequestLog();
    const { run, report } = await testIn('mi-system', imds());
    assert.equal(report.ok, true, JSON.stringify(report, null, 2));
    assert.deepEqual([...report.grantedRoles].sort(), ['GroupMember.Read.All', 'User.Read.All']);
    const asked = fx.emulator.requestLog().find((e) => e.path.startsWith('/metadata/identity'));
    assert.match(
      asked?.path ?? '',
      /^\/metadata\/identity\/oauth2\/token\/\?api-version=2018-02-01&resource=https%3A%2F%2Fgraph\.microsoft\.com/,
    );
    assert.equal(asked?.clientId, system.clientId);
    assertNoToken(run);
    // The planner knows a managed identity has no consent page, only app role assignments.
    const plan = await fx.runCli(['connections', 'permissions', 'mi-system', '--json']);
    assert.equal(plan.json<{ adminConsentUrl: string | null }>().adminConsentUrl, null);
  });

  it('user-assigned on IMDS and on App Service: ClientID names the identity', async () => {
    const uami = fx.emulator.managedIdentity.addUserAssigned({ roles: ['User.Read.All'] });
    await miConnection('mi-user', 'user', uami.clientId);
    const onImds = await testIn('mi-user', imds());
    assert.equal(onImds.report.ok, true, JSON.stringify(onImds.report, null, 2));
    assert.deepEqual(onImds.report.grantedRoles, ['User.Read.All']);
    fx.emulator.clearRequestLog();
    const onAppService = await testIn('mi-user', appService());
    assert.equal(onAppService.report.ok, true, JSON.stringify(onAppService.report, null, 2));
    const asked = fx.emulator.requestLog().find((e) => e.path.startsWith('/msi/token'));
    assert.match(asked?.path ?? '', /api-version=2019-08-01/);
    assert.match(asked?.path ?? '', new RegExp(`client_id=${uami.clientId}`));
    assertNoToken(onAppService.run);
  });

  it('an identity the host does not have → ENTRA_MANAGED_IDENTITY_NOT_FOUND, on IMDS and App Service', async () => {
    await miConnection('mi-unknown', 'user', '0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9');
    for (const env of [imds(), appService()]) {
      const check = token((await testIn('mi-unknown', env)).report);
      assert.equal(check.status, 'fail');
      assert.equal(check.code, 'ENTRA_MANAGED_IDENTITY_NOT_FOUND', JSON.stringify(check));
      assert.match(check.hint ?? '', /user-assigned identity/);
      assert.equal(check.details?.status, 400);
    }
  });

  it('a wrong IDENTITY_HEADER → ENTRA_MANAGED_IDENTITY_ERROR (401), with no header value in the report', async () => {
    const check = token((await testIn('mi-user', appService('wrong-header-value-0123'))).report);
    assert.equal(check.code, 'ENTRA_MANAGED_IDENTITY_ERROR');
    assert.equal(check.details?.status, 401);
    assert.doesNotMatch(JSON.stringify(check), /wrong-header-value-0123/);
  });

  it('an IMDS that keeps failing with 500 → ENTRA_MANAGED_IDENTITY_UNAVAILABLE after msal’s retries', async () => {
    // msal asks once and retries three times (facts H.4): four failures exhaust it.
    fx.emulator.managedIdentity.failNext(4, { status: 500 });
    const { report } = await testIn('mi-user', imds());
    const check = token(report);
    assert.equal(check.code, 'ENTRA_MANAGED_IDENTITY_UNAVAILABLE', JSON.stringify(check));
    assert.ok(Number(check.details?.requests) >= 2, 'msal retried');
  });

  it('an IMDS that does not answer → ENTRA_MANAGED_IDENTITY_UNAVAILABLE in seconds, not minutes', async () => {
    const { run, report } = await testIn('mi-user', { AZURE_POD_IDENTITY_AUTHORITY_HOST: blackholeUrl });
    const check = token(report);
    assert.equal(check.code, 'ENTRA_MANAGED_IDENTITY_UNAVAILABLE', JSON.stringify(check));
    assert.equal(check.details?.timedOut, true);
    assert.match(check.message, /within 10 s/);
    assert.ok(run.elapsedMs < 60_000, `took ${run.elapsedMs} ms`);
  });
});
