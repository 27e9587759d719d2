import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOUDS } from '../connections/entra-id/clouds.js';
import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import { silentLogger } from '../core/logger.js';
import { Secret } from '../core/secret.js';
import { createMsalClientApplication } from './msal-client-application.js';

function settings(authorityHost: string, tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47'): EntraSettings {
  return {
    connectionId: 'c1',
    connectionName: 'hr-prod',
    tenantId,
    clientId: '0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0',
    credential: { kind: 'secret', secret: new Secret('value~of.the_secret') },
    cloud: 'Global',
    authorityHost,
    graphEndpoint: CLOUDS.Global.graphEndpoint,
    credentialVersion: 'v1',
  };
}

describe('createMsalClientApplication', () => {
  it("uses the cloud's own login host as the authority", () => {
    for (const cloud of Object.values(CLOUDS)) {
      const { authority } = createMsalClientApplication(settings(cloud.authorityHost), { logger: silentLogger });
      assert.equal(authority, `${cloud.authorityHost}/72f988bf-86f1-41af-91ab-2d7cd011db47`);
    }
  });

  it('keeps an https authority for an http loopback override (msal refuses http authorities)', () => {
    const { authority } = createMsalClientApplication(settings('http://127.0.0.1:43123'), { logger: silentLogger });
    assert.equal(authority, 'https://127.0.0.1:43123/72f988bf-86f1-41af-91ab-2d7cd011db47');
  });

  it('refuses plain http to a host that is not loopback', () => {
    assert.throws(() => createMsalClientApplication(settings('http://login.example.com'), { logger: silentLogger }), {
      code: 'CONNECTION_INVALID_PARAMETER',
    });
  });
});
