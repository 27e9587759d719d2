import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DoctorCheck, DoctorReport } from '../../src/doctor/doctor-report.js';
import { type OidcTestIssuer, type RegisteredApp, startOidcTestIssuer } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/**
 * Workload identity federation end to end (product.md 9.4, facts H): a federated token in a file, the real
 * msal-node's client-assertion callback, the emulator checking the app's federated credentials and the issuer's
 * discovery document and keys, and every documented failure mapped to a code and a hint naming issuer, subject
 * and audience.
 */
const SUBJECT = 'system:serviceaccount:gatehouse:sync';

let fx: GatehouseFixture;
let issuer: OidcTestIssuer;
let app: RegisteredApp;
let dir: string;
let logs = '';
/** Every token written to a file, to check none leaks. */
const minted: string[] = [];

before(async () => {
  fx = await startGatehouseFixture({
    emulator: { seed: 'workload-identity', profile: 'exact' },
    createConnection: false,
    logger: createLogger({ level: 'trace', destination: { write: (chunk: string) => (logs += chunk) } }),
  });
  issuer = await startOidcTestIssuer();
  app = fx.emulator.registerApp({ secret: false, applicationPermissions: ['User.Read.All', 'GroupMember.Read.All'] });
  fx.emulator.federation.addCredential(app.clientId, { name: 'k8s-sync', issuer: issuer.issuer, subject: SUBJECT });
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-wif-'));
});

after(async () => {
  await fx.close();
  await issuer.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function writeToken(name: string, mint: Parameters<OidcTestIssuer['mint']>[0]): Promise<string> {
  const token = await issuer.mint(mint);
  minted.push(token);
  const path = join(dir, name);
  writeFileSync(path, `${token}\n`);
  return path;
}

async function connection(name: string, assertionFile: string, forApp: RegisteredApp = app): Promise<void> {
  const { ClientSecret: _none, ...parameters } = fx.parametersFor(forApp, { ClientAssertionFile: assertionFile });
  await fx.gatehouse.connections.create({
    name,
    type: 'EntraID',
    parameters: Object.entries(parameters).map(([key, value]) => ({ key, value })),
  });
}

async function test(name: string): Promise<DoctorReport> {
  const result = await fx.runCli(['connections', 'test', name, '--json']);
  return result.json<DoctorReport>();
}

function tokenCheck(report: DoctorReport): DoctorCheck {
  const check = report.checks.find((c) => c.id === 'token');
  assert.ok(check);
  return check;
}

describe('ClientAssertionFile (workload identity federation) against the emulator', () => {
  it('a federated token whose issuer, subject and audience match gets a Graph token and passes the test', async () => {
    await connection('wif-good', await writeToken('good', { subject: SUBJECT }));
    const report = await test('wif-good');
    assert.equal(report.ok, true, JSON.stringify(report, null, 2));
    assert.deepEqual([...report.grantedRoles].sort(), ['GroupMember.Read.All', 'User.Read.All']);
    assert.ok(issuer.requests() >= 2, 'the emulator read the discovery document and the JWKS');
  });

  it('re-reads the file at every token request (a rotated token is used, a broken one is reported)', async () => {
    const path = await writeToken('rotating', { subject: SUBJECT });
    await connection('wif-rotating', path);
    const provider = fx.gatehouse.tokens.forSettings(
      await fx.gatehouse.connections.resolveEntraSettings('wif-rotating'),
    );
    await provider.getAccessToken();
    writeFileSync(path, 'not a token\n');
    provider.invalidate();
    await assert.rejects(
      provider.getAccessToken(),
      (e: unknown) => (e as { code?: string }).code === 'ENTRA_ASSERTION_FILE_INVALID',
    );
    await writeToken('rotating', { subject: SUBJECT });
    assert.ok(
      (await provider.getAccessToken()).length > 100,
      'the renewed file works again without restarting anything',
    );
  });

  it('env:NAME follows the variable, as azure-workload-identity injects AZURE_FEDERATED_TOKEN_FILE', async () => {
    const path = await writeToken('from-env', { subject: SUBJECT });
    await connection('wif-env', 'env:GATEHOUSE_TEST_FEDERATED_TOKEN_FILE');
    const unset = tokenCheck(await test('wif-env'));
    assert.equal(unset.code, 'ENTRA_ASSERTION_FILE_UNREADABLE');
    assert.match(unset.message, /GATEHOUSE_TEST_FEDERATED_TOKEN_FILE/);
    process.env.GATEHOUSE_TEST_FEDERATED_TOKEN_FILE = path;
    try {
      assert.equal((await test('wif-env')).ok, true);
    } finally {
      delete process.env.GATEHOUSE_TEST_FEDERATED_TOKEN_FILE;
    }
  });

  const failures: [string, () => Promise<string>, string, RegExp][] = [
    [
      'a missing file',
      async () => join(dir, 'does-not-exist'),
      'ENTRA_ASSERTION_FILE_UNREADABLE',
      /AZURE_FEDERATED_TOKEN_FILE/,
    ],
    [
      'a file that holds no JWT',
      async () => {
        writeFileSync(join(dir, 'garbage'), 'hello\n');
        return join(dir, 'garbage');
      },
      'ENTRA_ASSERTION_FILE_INVALID',
      /OIDC token/,
    ],
    [
      'an expired token (AADSTS700024)',
      () =>
        writeToken('expired', { subject: SUBJECT, issuedAt: new Date(Date.now() - 7200_000), lifetimeSeconds: 600 }),
      'ENTRA_ASSERTION_EXPIRED',
      /expired at \d{4}-/,
    ],
    [
      'a wrong audience (AADSTS700212)',
      () => writeToken('audience', { subject: SUBJECT, audience: 'api://something-else' }),
      'ENTRA_FEDERATION_AUDIENCE_MISMATCH',
      /'api:\/\/something-else'.*api:\/\/AzureADTokenExchange/,
    ],
    [
      'a wrong subject (AADSTS700213)',
      () => writeToken('subject', { subject: 'system:serviceaccount:other:sa' }),
      'ENTRA_FEDERATION_SUBJECT_MISMATCH',
      /system:serviceaccount:other:sa/,
    ],
    [
      'an issuer without a trailing slash (AADSTS700211)',
      () => writeToken('issuer', { subject: SUBJECT, issuer: issuer.issuer.replace(/\/$/, '') }),
      'ENTRA_FEDERATION_ISSUER_MISMATCH',
      /trailing slash/,
    ],
    [
      'a key the issuer does not publish (AADSTS7000272)',
      () => writeToken('unpublished', { subject: SUBJECT, unpublishedKey: true }),
      'ENTRA_FEDERATION_KEY_NOT_FOUND',
      /signing key/,
    ],
    [
      'a forged signature (AADSTS700027)',
      () => writeToken('forged', { subject: SUBJECT, forgedSignature: true }),
      'ENTRA_INVALID_CERTIFICATE',
      /keys sign it/,
    ],
    [
      'an Entra-issued token (AADSTS700222)',
      () =>
        writeToken('entra', {
          subject: SUBJECT,
          issuer: 'https://sts.windows.net/0f0e0d0c-0b0a-4909-8807-060504030201/',
        }),
      'ENTRA_FEDERATION_ENTRA_TOKEN',
      /ManagedIdentity/,
    ],
  ];
  for (const [index, [what, file, code, hint]] of failures.entries()) {
    it(`${what} → ${code} with a hint`, async () => {
      const name = `wif-fail-${index}`;
      await connection(name, await file());
      const report = await test(name);
      assert.equal(report.ok, false);
      const check = tokenCheck(report);
      assert.equal(check.status, 'fail');
      assert.equal(check.code, code, JSON.stringify(check));
      if (code === 'ENTRA_ASSERTION_FILE_UNREADABLE') assert.match(check.message, /does-not-exist/);
      assert.match(check.hint ?? '', hint);
    });
  }

  it('federation failures name the presented issuer, subject and audience and say what to create', async () => {
    await connection('wif-named', await writeToken('named', { subject: 'system:serviceaccount:x:y' }));
    const check = tokenCheck(await test('wif-named'));
    assert.equal(check.details?.issuer, issuer.issuer);
    assert.equal(check.details?.subject, 'system:serviceaccount:x:y');
    assert.equal(check.details?.audience, 'api://AzureADTokenExchange');
    assert.match(
      check.message,
      /issuer '.*', subject 'system:serviceaccount:x:y' and audience 'api:\/\/AzureADTokenExchange'/,
    );
    assert.match(check.hint ?? '', /az ad app federated-credential create --id /);
  });

  it('an app without federated credentials → ENTRA_FEDERATION_NOT_CONFIGURED (AADSTS70025)', async () => {
    const bare = fx.emulator.registerApp({ secret: false, applicationPermissions: ['User.Read.All'] });
    await connection('wif-bare', await writeToken('bare', { subject: SUBJECT }), bare);
    const check = tokenCheck(await test('wif-bare'));
    assert.equal(check.code, 'ENTRA_FEDERATION_NOT_CONFIGURED');
    assert.match(check.hint ?? '', new RegExp(`"subject":"${SUBJECT}"`));
  });

  it('a credential not yet propagated → ENTRA_FEDERATION_NO_MATCH (AADSTS70021), which says to retry', async () => {
    const fresh = fx.emulator.registerApp({ secret: false, applicationPermissions: ['User.Read.All'] });
    fx.emulator.federation.addCredential(fresh.clientId, {
      issuer: issuer.issuer,
      subject: SUBJECT,
      activeAfterMs: 3_600_000,
    });
    await connection('wif-fresh', await writeToken('fresh', { subject: SUBJECT }), fresh);
    const check = tokenCheck(await test('wif-fresh'));
    assert.equal(check.code, 'ENTRA_FEDERATION_NO_MATCH');
    assert.match(check.hint ?? '', /retry/);
  });

  it('an issuer Entra cannot reach → ENTRA_FEDERATION_ISSUER_UNREACHABLE (AADSTS50166)', async () => {
    const gone = await startOidcTestIssuer();
    const other = fx.emulator.registerApp({ secret: false, applicationPermissions: ['User.Read.All'] });
    fx.emulator.federation.addCredential(other.clientId, { issuer: gone.issuer, subject: SUBJECT });
    const token = await gone.mint({ subject: SUBJECT });
    minted.push(token);
    writeFileSync(join(dir, 'gone'), token);
    await gone.stop();
    await connection('wif-gone', join(dir, 'gone'), other);
    const check = tokenCheck(await test('wif-gone'));
    assert.equal(check.code, 'ENTRA_FEDERATION_ISSUER_UNREACHABLE');
    assert.match(check.hint ?? '', /openid-configuration/);
  });

  it('the emulator enforces the federated credential rules of Graph', () => {
    const rules = fx.emulator.registerApp({ secret: false });
    const add = (options: Partial<Parameters<typeof fx.emulator.federation.addCredential>[1]>) =>
      fx.emulator.federation.addCredential(rules.clientId, { issuer: issuer.issuer, subject: SUBJECT, ...options });
    assert.throws(() => add({ audiences: ['a', 'b'] }), /Exactly one audience/);
    assert.throws(() => add({ subject: 'repo:contoso/*' }), /Wildcard/);
    assert.throws(() => add({ name: 'no spaces allowed' }), /name/);
    add({ name: 'first' });
    assert.throws(() => add({ name: 'second' }), /issuer and subject already exists/);
    for (let i = 1; i < 20; i++) add({ name: `cred-${i}`, subject: `s${i}` });
    assert.throws(() => add({ name: 'twenty-one', subject: 's21' }), /at most 20/);
  });

  it('canary: no federated token appears in reports, show, export, the store or the logs', async () => {
    const outputs = [
      (await fx.runCli(['connections', 'test', 'wif-good', '--json'])).stdout,
      (
        await fx.runCli([
          'connections',
          'test',
          'wif-audience'.replace('audience', 'entra_federation_audience_mismatch-32'),
        ])
      ).stdout,
      (await fx.runCli(['connections', 'show', 'wif-good', '--json'])).stdout,
      (await fx.runCli(['connections', 'export', 'wif-good'])).stdout,
      (await fx.runCli(['connections', 'list', '--json'])).stdout,
      logs,
      ...readdirSync(fx.dataDir)
        .filter((f) => f.endsWith('.sqlite') || f.endsWith('.db'))
        .map((f) => readFileSync(join(fx.dataDir, f)).toString('latin1')),
    ];
    assert.ok(minted.length > 5 && logs.length > 0);
    for (const token of minted) {
      const signature = token.split('.')[2] ?? '';
      for (const [index, output] of outputs.entries()) {
        assert.equal(output.includes(signature), false, `a token leaked into output ${index}`);
      }
    }
  });
});
