import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServerError } from '@azure/msal-node';
import { createManualClock } from '../../src/core/clock.js';
import { createSelfSignedCertificate, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { decodeJwt, GRAPH_SCOPE, msalFor } from './msal-against-emulator.js';

async function expectAadsts(promise: Promise<unknown>, code: number, status: number, error: string) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ServerError, `expected ServerError, got ${String(err)}`);
    assert.equal(Number(err.errorNo), code);
    assert.equal(err.status, status);
    assert.equal(err.errorCode, error);
    assert.match(err.errorMessage, new RegExp(`AADSTS${code}:`));
    return true;
  });
}

describe('emulator token endpoint with the real msal-node', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ profile: 'exact', seed: 'token-tests' });
  });
  after(() => emulator.stop());

  it('issues an app-only Graph token for the default app with a secret', async () => {
    const { TenantID, ClientID, ClientSecret } = emulator.connection;
    const result = await msalFor(emulator.url, TenantID, ClientID, {
      clientSecret: ClientSecret,
    }).acquireTokenByClientCredential({
      scopes: GRAPH_SCOPE,
    });
    assert.ok(result?.accessToken);
    const claims = decodeJwt(result.accessToken);
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.iss, `https://sts.windows.net/${TenantID}/`);
    assert.equal(claims.tid, TenantID);
    assert.equal(claims.appid, ClientID);
    assert.equal(claims.azp, undefined, 'v1.0 tokens name the client appid, not azp');
    assert.equal(claims.appidacr, '1');
    assert.equal(claims.oid, emulator.defaultApp.objectId);
    assert.equal(claims.sub, emulator.defaultApp.objectId);
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.ver, '1.0');
    assert.equal(claims.scp, undefined);
    assert.deepEqual(claims.roles, [...emulator.defaultApp.roles]);
    assert.equal(Number(claims.exp) - Number(claims.iat), 3599);
    const entry = emulator.requestLog().at(-1);
    assert.equal(entry?.kind, 'token');
    assert.equal(entry?.status, 200);
    assert.equal(entry?.clientId, ClientID);
  });

  it('accepts the verified domain in any case as the tenant', async () => {
    const { ClientID, ClientSecret } = emulator.connection;
    const cca = msalFor(emulator.url, emulator.tenant.domain.toUpperCase(), ClientID, { clientSecret: ClientSecret });
    const result = await cca.acquireTokenByClientCredential({ scopes: GRAPH_SCOPE });
    assert.ok(result?.accessToken);
  });

  it('answers 7000215 for a wrong secret and for the secret ID sent as the secret', async () => {
    const { TenantID, ClientID } = emulator.connection;
    await expectAadsts(
      msalFor(emulator.url, TenantID, ClientID, { clientSecret: 'wrong~secret' }).acquireTokenByClientCredential({
        scopes: GRAPH_SCOPE,
      }),
      7000215,
      401,
      'invalid_client',
    );
    await expectAadsts(
      msalFor(emulator.url, TenantID, ClientID, {
        clientSecret: emulator.defaultApp.secretId as string,
      }).acquireTokenByClientCredential({
        scopes: GRAPH_SCOPE,
      }),
      7000215,
      401,
      'invalid_client',
    );
  });

  it('answers 7000222 for an expired secret', async () => {
    const app = emulator.registerApp({ secret: { expiresAt: new Date(Date.now() - 1000) } });
    await expectAadsts(
      msalFor(emulator.url, emulator.tenant.id, app.clientId, {
        clientSecret: app.secretValue as string,
      }).acquireTokenByClientCredential({
        scopes: GRAPH_SCOPE,
      }),
      7000222,
      401,
      'invalid_client',
    );
  });

  it('answers 700016 for an unknown app, 90002 for an unknown tenant and 7000112 for a disabled app', async () => {
    const { TenantID, ClientSecret } = emulator.connection;
    await expectAadsts(
      msalFor(emulator.url, TenantID, crypto.randomUUID(), {
        clientSecret: ClientSecret,
      }).acquireTokenByClientCredential({ scopes: GRAPH_SCOPE }),
      700016,
      400,
      'unauthorized_client',
    );
    await expectAadsts(
      msalFor(emulator.url, crypto.randomUUID(), emulator.defaultApp.clientId, {
        clientSecret: ClientSecret,
      }).acquireTokenByClientCredential({
        scopes: GRAPH_SCOPE,
      }),
      90002,
      400,
      'invalid_request',
    );
    await expectAadsts(
      msalFor(emulator.url, 'fabrikam.onmicrosoft.com', emulator.defaultApp.clientId, {
        clientSecret: ClientSecret,
      }).acquireTokenByClientCredential({
        scopes: GRAPH_SCOPE,
      }),
      90002,
      400,
      'invalid_request',
    );
    const disabled = emulator.registerApp({ enabled: false });
    await expectAadsts(
      msalFor(emulator.url, TenantID, disabled.clientId, {
        clientSecret: disabled.secretValue as string,
      }).acquireTokenByClientCredential({
        scopes: GRAPH_SCOPE,
      }),
      7000112,
      400,
      'unauthorized_client',
    );
  });

  it('answers 1002012 for a scope without /.default and 500011 for an unknown resource', async () => {
    const { TenantID, ClientID, ClientSecret } = emulator.connection;
    await expectAadsts(
      msalFor(emulator.url, TenantID, ClientID, { clientSecret: ClientSecret }).acquireTokenByClientCredential({
        scopes: ['User.Read.All'],
      }),
      1002012,
      400,
      'invalid_scope',
    );
    await expectAadsts(
      msalFor(emulator.url, TenantID, ClientID, { clientSecret: ClientSecret }).acquireTokenByClientCredential({
        scopes: ['https://management.azure.com/.default'],
      }),
      500011,
      400,
      'invalid_resource',
    );
  });

  it('issues a token with a certificate (PS256, x5t#S256) and answers 700027 for a wrong key', async () => {
    const cert = createSelfSignedCertificate();
    const other = createSelfSignedCertificate();
    const app = emulator.registerApp({
      secret: false,
      certificatePems: [cert.certificatePem],
      applicationPermissions: ['User.Read.All'],
    });
    assert.equal(app.certificates[0]?.thumbprintSha256, cert.thumbprintSha256);
    const ok = await msalFor(emulator.url, emulator.tenant.id, app.clientId, {
      clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem },
    }).acquireTokenByClientCredential({ scopes: GRAPH_SCOPE });
    assert.ok(ok?.accessToken);
    assert.equal(decodeJwt(ok.accessToken).appidacr, '2');
    // The registered thumbprint but another private key: the signature does not verify.
    await expectAadsts(
      msalFor(emulator.url, emulator.tenant.id, app.clientId, {
        clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: other.privateKeyPem },
      }).acquireTokenByClientCredential({ scopes: GRAPH_SCOPE }),
      700027,
      401,
      'invalid_client',
    );
    // A certificate that was never uploaded.
    await expectAadsts(
      msalFor(emulator.url, emulator.tenant.id, app.clientId, {
        clientCertificate: { thumbprintSha256: other.thumbprintSha256, privateKey: other.privateKeyPem },
      }).acquireTokenByClientCredential({ scopes: GRAPH_SCOPE }),
      700027,
      401,
      'invalid_client',
    );
  });

  it('accepts a SHA-1 thumbprint assertion (RS256, x5t)', async () => {
    const cert = createSelfSignedCertificate();
    const app = emulator.registerApp({ secret: false, certificatePems: [cert.certificatePem] });
    const ok = await msalFor(emulator.url, emulator.tenant.id, app.clientId, {
      clientCertificate: { thumbprint: cert.thumbprintSha1, privateKey: cert.privateKeyPem },
    }).acquireTokenByClientCredential({ scopes: GRAPH_SCOPE });
    assert.ok(ok?.accessToken);
  });

  it('issues a token without roles for a delegated-only app and for an app without admin consent', async () => {
    const delegated = emulator.registerApp({ delegatedPermissions: ['User.Read'] });
    const unconsented = emulator.registerApp({ applicationPermissions: ['User.Read.All'], adminConsented: false });
    for (const app of [delegated, unconsented]) {
      const result = await msalFor(emulator.url, emulator.tenant.id, app.clientId, {
        clientSecret: app.secretValue as string,
      }).acquireTokenByClientCredential({ scopes: GRAPH_SCOPE });
      assert.ok(result?.accessToken);
      assert.equal(decodeJwt(result.accessToken).roles, undefined);
    }
  });

  it('fails the next token request with an injected 503 that carries Retry-After', async () => {
    emulator.faults.failNextTokenRequests(1, { status: 503, retryAfterSeconds: 7 });
    const { TenantID, ClientID, ClientSecret } = emulator.connection;
    await assert.rejects(
      msalFor(emulator.url, TenantID, ClientID, { clientSecret: ClientSecret }).acquireTokenByClientCredential({
        scopes: GRAPH_SCOPE,
      }),
      (err: unknown) => err instanceof ServerError && err.status === 503,
    );
    const result = await msalFor(emulator.url, TenantID, ClientID, {
      clientSecret: ClientSecret,
    }).acquireTokenByClientCredential({
      scopes: GRAPH_SCOPE,
    });
    assert.ok(result?.accessToken);
  });

  it('honours tokenLifetimeSeconds and the injected clock', async () => {
    const clock = createManualClock(new Date('2030-05-01T00:00:00Z'));
    const other = await startEmulator({ profile: 'exact', clock, tokenLifetimeSeconds: 900 });
    try {
      const { TenantID, ClientID, ClientSecret } = other.connection;
      const result = await msalFor(other.url, TenantID, ClientID, {
        clientSecret: ClientSecret,
      }).acquireTokenByClientCredential({
        scopes: GRAPH_SCOPE,
      });
      const claims = decodeJwt(result?.accessToken ?? '');
      assert.equal(claims.iat, Date.parse('2030-05-01T00:00:00Z') / 1000);
      assert.equal(Number(claims.exp) - Number(claims.iat), 900);
    } finally {
      await other.stop();
    }
  });
});
