import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConnectionView } from '../../src/connections/connection-view.js';
import { createSelfSignedCertificate } from '../../src/emulator/certificate.js';
import { CLIENT, type CliHarness, createCliHarness, entraParams, TENANT } from './cli-harness.js';

const SECRET = 'Xy7~abcDEF.ghiJKL_mnoPQR-stuVWX0123456';

type ErrorJson = { error: { code: string; message: string; hint: string; details: Record<string, unknown> } };

describe('gatehouse connections (CLI, in-process)', () => {
  let h: CliHarness;
  before(async () => {
    h = await createCliHarness();
  });
  after(() => h.close());

  test('create trims values, reports which keys were trimmed, stores canonical keys', async () => {
    const run = await h.run([
      'connections',
      'create',
      '--name',
      '  MS EntraID ',
      '--type',
      'entraid',
      '--param',
      `tenantid=  ${TENANT} `,
      '--param',
      `CLIENTID=${CLIENT}`,
      '--param',
      `ClientSecret= ${SECRET}`,
      '--json',
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const created = run.json<ConnectionView & { trimmed: string[] }>();
    assert.equal(created.name, 'MS EntraID');
    assert.equal(created.type, 'EntraID');
    assert.deepEqual(created.trimmed, ['TenantID', 'ClientSecret']);
    assert.deepEqual(
      created.parameters.map((p) => p.key),
      ['TenantID', 'ClientID', 'ClientSecret'],
    );
    const gatehouse = await h.open();
    const settings = await gatehouse.connections.resolveEntraSettings('ms entraid');
    assert.equal(settings.tenantId, TENANT);
    assert.equal(settings.credential.kind === 'secret' && settings.credential.secret.reveal(), SECRET);
    assert.equal(settings.authorityHost, 'https://login.microsoftonline.com');
    const text = await h.run([
      'connections',
      'create',
      '--name',
      'Second',
      '--type',
      'EntraID',
      ...entraParams(` ${SECRET}`),
    ]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Created connection 'Second'/);
    assert.match(text.stdout, /Trimmed leading\/trailing whitespace from: ClientSecret/);
  });

  test('list and show print secrets only as set / when / fingerprint', async () => {
    const list = await h.run(['connections', 'list', '--json']);
    assert.equal(list.code, 0);
    assert.deepEqual(
      list.json<ConnectionView[]>().map((c) => c.name),
      ['MS EntraID', 'Second'],
    );
    const show = await h.run(['connections', 'show', 'MS ENTRAID', '--json']);
    const secret = show.json<ConnectionView>().parameters.find((p) => p.key === 'ClientSecret');
    assert.ok(secret?.secret);
    assert.equal(secret.set, true);
    assert.match(secret.fingerprint, /^sha256:[0-9a-f]{8}$/);
    const text = await h.run(['connections', 'show', 'MS EntraID']);
    assert.match(text.stdout, /ClientSecret\s+set \d{4}-\d\d-\d\dT.*fingerprint sha256:[0-9a-f]{8}/);
    assert.doesNotMatch(text.stdout + show.stdout + list.stdout, /Xy7~abc/);
  });

  const refusals: [string, string[], string][] = [
    [
      'a GUID-shaped ClientSecret',
      entraParams('b6f4c2e0-1d3a-4e5f-8a9b-0c1d2e3f4a5b'),
      'CONNECTION_SECRET_LOOKS_LIKE_SECRET_ID',
    ],
    [
      'TenantID common',
      ['--param', 'TenantID=common', '--param', `ClientID=${CLIENT}`, '--param', `ClientSecret=${SECRET}`],
      'CONNECTION_INVALID_PARAMETER',
    ],
    [
      'TenantID as a URL',
      [
        '--param',
        `TenantID=https://login.microsoftonline.com/${TENANT}`,
        '--param',
        `ClientID=${CLIENT}`,
        '--param',
        `ClientSecret=${SECRET}`,
      ],
      'CONNECTION_INVALID_PARAMETER',
    ],
    ['an unknown key', entraParams(SECRET, ['Scope=x']), 'CONNECTION_UNKNOWN_PARAMETER'],
    ['a duplicate key', entraParams(SECRET, [`clientid=${CLIENT}`]), 'CONNECTION_DUPLICATE_PARAMETER'],
    [
      'a missing ClientID',
      ['--param', `TenantID=${TENANT}`, '--param', `ClientSecret=${SECRET}`],
      'CONNECTION_MISSING_PARAMETER',
    ],
    [
      'no credential',
      ['--param', `TenantID=${TENANT}`, '--param', `ClientID=${CLIENT}`],
      'CONNECTION_MISSING_PARAMETER',
    ],
    [
      'a non-GUID ClientID',
      ['--param', `TenantID=${TENANT}`, '--param', 'ClientID=my-app', '--param', `ClientSecret=${SECRET}`],
      'CONNECTION_INVALID_PARAMETER',
    ],
    [
      'http AuthorityHost off loopback',
      entraParams(SECRET, ['AuthorityHost=http://login.example.com']),
      'CONNECTION_INVALID_PARAMETER',
    ],
    [
      'a placeholder TenantID',
      ['--param', 'TenantID=<tenant-id>', '--param', `ClientID=${CLIENT}`, '--param', `ClientSecret=${SECRET}`],
      'CONNECTION_PLACEHOLDER_VALUE',
    ],
  ];
  for (const [what, params, code] of refusals) {
    test(`create refuses ${what} with exit 2 and ${code}`, async () => {
      const run = await h.run(['connections', 'create', '--name', 'Refused', '--type', 'EntraID', ...params, '--json']);
      assert.equal(run.code, 2, run.stdout);
      const { error } = run.json<ErrorJson>();
      assert.equal(error.code, code);
      assert.ok(error.hint.length > 0);
      const text = await h.run(['connections', 'create', '--name', 'Refused', '--type', 'EntraID', ...params]);
      assert.equal(text.code, 2);
      assert.match(text.stderr, new RegExp(`^error ${code}: .+\\nhint: .+`, 'm'));
    });
  }

  test('an unknown key is refused with the list of valid keys', async () => {
    const run = await h.run([
      'connections',
      'create',
      '--name',
      'X',
      '--type',
      'EntraID',
      ...entraParams(SECRET, ['Tenant=x']),
      '--json',
    ]);
    const { error } = run.json<ErrorJson>();
    assert.ok((error.details.validKeys as string[]).includes('TenantID'));
    assert.match(error.message, /Valid keys: TenantID, ClientID, ClientSecret, ClientCertificate/);
  });

  test('--allow-guid-secret accepts a GUID-shaped secret; names are unique regardless of case', async () => {
    const guid = ['--allow-guid-secret', ...entraParams('b6f4c2e0-1d3a-4e5f-8a9b-0c1d2e3f4a5b')];
    const run = await h.run(['connections', 'create', '--name', 'Guid Secret', '--type', 'EntraID', ...guid]);
    assert.equal(run.code, 0, run.stderr);
    const taken = await h.run([
      'connections',
      'create',
      '--name',
      'GUID SECRET',
      '--type',
      'EntraID',
      ...entraParams(SECRET),
      '--json',
    ]);
    assert.equal(taken.code, 2);
    assert.equal(taken.json<ErrorJson>().error.code, 'CONNECTION_NAME_TAKEN');
    const long = await h.run([
      'connections',
      'create',
      '--name',
      'x'.repeat(101),
      '--type',
      'EntraID',
      ...entraParams(SECRET),
      '--json',
    ]);
    assert.equal(long.json<ErrorJson>().error.code, 'CONNECTION_INVALID_NAME');
  });

  test('update keeps parameters it is not told to change, and a secret stays unless replaced', async () => {
    const before = (await h.run(['connections', 'show', 'Second', '--json'])).json<ConnectionView>();
    const run = await h.run([
      'connections',
      'update',
      'second',
      '--param',
      'cloud=usgov',
      '--rename',
      'Second Gov',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stdout);
    const updated = run.json<ConnectionView>();
    assert.equal(updated.version, before.version + 1);
    assert.equal(updated.name, 'Second Gov');
    const secretOf = (v: ConnectionView) => v.parameters.find((p) => p.key === 'ClientSecret');
    // The same stored secret, now marked: it was entered for the Global cloud's hosts (issue 12 finding 1).
    assert.deepEqual(secretOf(updated), { ...secretOf(before), enterAgain: true });
    // The secret stays stored, but it was entered for the Global cloud's hosts: it is not sent to USGov's until it is
    // entered again (issue 12 finding 1).
    await assert.rejects((await h.open()).connections.resolveEntraSettings('Second Gov'), (e: unknown) => {
      const code = (e as { code?: string }).code;
      return code === 'CONNECTION_SECRET_REQUIRED';
    });
    const reentered = await h.run([
      'connections',
      'update',
      'Second Gov',
      '--param',
      `ClientSecret=${SECRET}`,
      '--json',
    ]);
    assert.equal(reentered.code, 0, reentered.stdout);
    const settings = await (await h.open()).connections.resolveEntraSettings('Second Gov');
    assert.equal(settings.cloud, 'USGov');
    assert.equal(settings.graphEndpoint, 'https://graph.microsoft.us');
    assert.equal(settings.credential.kind === 'secret' && settings.credential.secret.reveal(), SECRET);
    const unset = await h.run([
      'connections',
      'update',
      'Second Gov',
      '--unset',
      'Cloud',
      '--param',
      'ClientSecret=new~value-123',
      '--json',
    ]);
    const after = unset.json<ConnectionView>();
    assert.equal(
      after.parameters.some((p) => p.key === 'Cloud'),
      false,
    );
    assert.notEqual(secretOf(after)?.secret && secretOf(after), secretOf(before));
    const required = await h.run(['connections', 'update', 'Second Gov', '--unset', 'TenantID', '--json']);
    assert.equal(required.code, 2);
    assert.equal(required.json<ErrorJson>().error.code, 'CONNECTION_MISSING_PARAMETER');
  });

  test('update with a stale --expected-version fails with CONNECTION_VERSION_CONFLICT (exit 1)', async () => {
    const run = await h.run([
      'connections',
      'update',
      'MS EntraID',
      '--expected-version',
      '99',
      '--param',
      'Cloud=China',
      '--json',
    ]);
    assert.equal(run.code, 1);
    assert.equal(run.json<ErrorJson>().error.code, 'CONNECTION_VERSION_CONFLICT');
  });

  test('copy duplicates the connection with its secret under a new name', async () => {
    const run = await h.run(['connections', 'copy', 'MS EntraID', 'MS EntraID (copy)', '--json']);
    assert.equal(run.code, 0, run.stdout);
    const gatehouse = await h.open();
    const copy = await gatehouse.connections.resolveEntraSettings('ms entraid (copy)');
    assert.equal(copy.credential.kind === 'secret' && copy.credential.secret.reveal(), SECRET);
    const a = await gatehouse.connections.get('MS EntraID');
    const b = await gatehouse.connections.get('MS EntraID (copy)');
    const envelope = (c: typeof a) => {
      const p = c.parameters.find((q) => q.key === 'ClientSecret');
      return p?.secret ? p.envelope : undefined;
    };
    assert.ok(envelope(a) && envelope(b));
    assert.notEqual(envelope(a), envelope(b), 'the copy is sealed anew');
    assert.notEqual(a.id, b.id);
  });

  test('export leaves secrets out; import then needs the secret again', async () => {
    const run = await h.run(['connections', 'export', 'MS EntraID']);
    assert.equal(run.code, 0);
    const doc = run.json<{ parameters: { key: string; value?: string; secret?: boolean }[] }>();
    const secret = doc.parameters.find((p) => p.key === 'ClientSecret');
    assert.deepEqual([secret?.secret, secret?.value], [true, undefined]);
    const file = join(h.dataDir, 'plain-export.json');
    writeFileSync(file, run.stdout);
    const missing = await h.run(['connections', 'import', file, '--name', 'Imported', '--json']);
    assert.equal(missing.code, 2);
    assert.equal(missing.json<ErrorJson>().error.code, 'CONNECTION_MISSING_PARAMETER');
    assert.match(missing.json<ErrorJson>().error.message, /left out the value of ClientSecret/);
    const given = await h.run([
      'connections',
      'import',
      file,
      '--name',
      'Imported',
      '--param',
      `ClientSecret=${SECRET}`,
    ]);
    assert.equal(given.code, 0, given.stderr);
  });

  test('export --include-secrets seals them with the passphrase; import restores them', async () => {
    const passFile = join(h.dataDir, 'pass.txt');
    writeFileSync(passFile, 'correct horse battery staple\n');
    const noPass = await h.run(['connections', 'export', 'MS EntraID', '--include-secrets', '--json']);
    assert.equal(noPass.code, 2);
    assert.equal(noPass.json<ErrorJson>().error.code, 'CONNECTION_PASSPHRASE_REQUIRED');
    const run = await h.run([
      'connections',
      'export',
      'MS EntraID',
      '--include-secrets',
      '--passphrase-file',
      passFile,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.stdout.includes(SECRET));
    const file = join(h.dataDir, 'sealed-export.json');
    writeFileSync(file, run.stdout);
    const wrongFile = join(h.dataDir, 'wrong.txt');
    writeFileSync(wrongFile, 'not the passphrase');
    const wrong = await h.run([
      'connections',
      'import',
      file,
      '--name',
      'Restored',
      '--passphrase-file',
      wrongFile,
      '--json',
    ]);
    assert.equal(wrong.json<ErrorJson>().error.code, 'CONNECTION_PASSPHRASE_WRONG');
    const required = await h.run(['connections', 'import', file, '--name', 'Restored', '--json']);
    assert.equal(required.json<ErrorJson>().error.code, 'CONNECTION_PASSPHRASE_REQUIRED');
    const ok = await h.run(['connections', 'import', file, '--name', 'Restored', '--passphrase-file', passFile]);
    assert.equal(ok.code, 0, ok.stderr);
    const settings = await (await h.open()).connections.resolveEntraSettings('Restored');
    assert.equal(settings.credential.kind === 'secret' && settings.credential.secret.reveal(), SECRET);
  });

  test('import of the untouched sample fails with CONNECTION_PLACEHOLDER_VALUE naming the placeholders', async () => {
    const run = await h.run(['connections', 'import', 'examples/ms-entraid.sample.json', '--json']);
    assert.equal(run.code, 2);
    const { error } = run.json<ErrorJson>();
    assert.equal(error.code, 'CONNECTION_PLACEHOLDER_VALUE');
    assert.deepEqual(error.details.placeholders, ['TenantID', 'ClientID', 'ClientSecret']);
    const junk = join(h.dataDir, 'junk.json');
    writeFileSync(junk, '{"name": 3}');
    const invalid = await h.run(['connections', 'import', junk, '--json']);
    assert.equal(invalid.json<ErrorJson>().error.code, 'CONNECTION_IMPORT_INVALID');
  });

  test('a certificate credential is parsed: thumbprints and expiry are shown, the key never', async () => {
    const cert = createSelfSignedCertificate({ commonName: 'gatehouse-cli-test' });
    const pem = join(h.dataDir, 'cert.pem');
    writeFileSync(pem, `${cert.certificatePem}\n${cert.privateKeyPem}`);
    const run = await h.run([
      'connections',
      'create',
      '--name',
      'Cert',
      '--type',
      'EntraID',
      '--param',
      `TenantID=${TENANT}`,
      '--param',
      `ClientID=${CLIENT}`,
      '--param-file',
      `ClientCertificate=${pem}`,
      '--json',
    ]);
    assert.equal(run.code, 0, run.stdout);
    const view = run.json<ConnectionView>().parameters.find((p) => p.key === 'ClientCertificate');
    assert.ok(view?.secret);
    assert.equal(view.info?.thumbprintSha256, cert.thumbprintSha256.toLowerCase());
    assert.equal(view.info?.thumbprintSha1, cert.thumbprintSha1.toLowerCase());
    assert.doesNotMatch(run.stdout, /PRIVATE KEY/);
    const settings = await (await h.open()).connections.resolveEntraSettings('Cert');
    assert.equal(settings.credential.kind, 'certificate');
    const other = createSelfSignedCertificate();
    const mismatched = join(h.dataDir, 'mismatch.pem');
    writeFileSync(mismatched, `${cert.certificatePem}\n${other.privateKeyPem}`);
    const bad = await h.run([
      'connections',
      'create',
      '--name',
      'Bad Cert',
      '--type',
      'EntraID',
      '--param',
      `TenantID=${TENANT}`,
      '--param',
      `ClientID=${CLIENT}`,
      '--param-file',
      `ClientCertificate=${mismatched}`,
      '--json',
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.json<ErrorJson>().error.message, /does not belong to its certificate/);
  });

  test('remove deletes; a missing connection is CONNECTION_NOT_FOUND (exit 2)', async () => {
    const run = await h.run(['connections', 'remove', 'MS EntraID (copy)']);
    assert.equal(run.code, 0);
    const again = await h.run(['connections', 'show', 'MS EntraID (copy)', '--json']);
    assert.equal(again.code, 2);
    assert.equal(again.json<ErrorJson>().error.code, 'CONNECTION_NOT_FOUND');
  });

  test('usage errors exit 2 with USAGE_ERROR; --help exits 0', async () => {
    const run = await h.run(['connections', 'create', '--json']);
    assert.equal(run.code, 2);
    assert.equal(run.json<ErrorJson>().error.code, 'USAGE_ERROR');
    const unknown = await h.run(['connections', 'frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error USAGE_ERROR: unknown command 'frobnicate'/m);
    const badParam = await h.run(['connections', 'create', '--name', 'n', '--type', 'EntraID', '--param', 'novalue']);
    assert.equal(badParam.code, 2);
    const help = await h.run(['connections', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /create/);
  });

  test('an unusable data dir is STORE_UNAVAILABLE naming the directory (exit 1)', async (t) => {
    if (h.store.engine !== 'sqlite') return t.skip('the data dir holds the store only on SQLite');
    const file = join(h.dataDir, 'a-file');
    writeFileSync(file, '');
    const run = await h.run(['--data-dir', join(file, 'sub'), 'connections', 'list', '--json']);
    assert.equal(run.code, 1);
    const { error } = run.json<ErrorJson>();
    assert.equal(error.code, 'STORE_UNAVAILABLE');
    assert.match(error.message, /a-file\/sub/);
  });

  test('connections types lists each key with its portal hint', async () => {
    const run = await h.run(['connections', 'types', '--json']);
    const [entra] = run.json<{ name: string; parameters: { key: string; hint: string; secret: boolean }[] }[]>();
    assert.equal(entra?.name, 'EntraID');
    assert.match(entra?.parameters.find((p) => p.key === 'TenantID')?.hint ?? '', /Directory \(tenant\) ID/);
    assert.equal(entra?.parameters.find((p) => p.key === 'ClientSecret')?.secret, true);
  });
});
