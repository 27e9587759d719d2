import { createHash } from 'node:crypto';
import type { EntraCredential, EntraSettings } from '../../src/connections/entra-id/entra-settings.js';
import { Secret } from '../../src/core/secret.js';
import type { Emulator, TestCertificate } from '../../src/emulator/index.js';

export interface EmulatorSettingsOverrides {
  tenantId?: string;
  clientId?: string;
  /** A secret value (default: the default app's), or a certificate. */
  secret?: string;
  certificate?: TestCertificate;
  authorityHost?: string;
  graphEndpoint?: string;
  connectionId?: string;
  connectionName?: string;
}

/**
 * EntraSettings for the emulator's default app (or the overrides), built directly for tests of the Entra adapter
 * that need no store: the token provider, the Graph client. Tests of whole features use gatehouse-fixture.ts.
 */
export function emulatorSettings(emulator: Emulator, overrides: EmulatorSettingsOverrides = {}): EntraSettings {
  const credential: EntraCredential = overrides.certificate
    ? {
        kind: 'certificate',
        certificatePem: overrides.certificate.certificatePem,
        privateKey: new Secret(overrides.certificate.privateKeyPem),
        thumbprintSha256: overrides.certificate.thumbprintSha256,
        thumbprintSha1: overrides.certificate.thumbprintSha1,
        notAfter: new Date(Date.now() + 365 * 86_400_000),
      }
    : { kind: 'secret', secret: new Secret(overrides.secret ?? emulator.connection.ClientSecret) };
  const settings = {
    connectionId: overrides.connectionId ?? 'test-connection-id',
    connectionName: overrides.connectionName ?? 'test-connection',
    tenantId: overrides.tenantId ?? emulator.tenant.id,
    clientId: overrides.clientId ?? emulator.defaultApp.clientId,
    credential,
    cloud: 'Global' as const,
    authorityHost: overrides.authorityHost ?? emulator.url,
    graphEndpoint: overrides.graphEndpoint ?? emulator.url,
  };
  const fingerprint = credential.kind === 'secret' ? credential.secret.fingerprint() : credential.thumbprintSha256;
  const credentialVersion = createHash('sha256')
    .update(JSON.stringify([settings.tenantId, settings.clientId, settings.authorityHost, fingerprint]))
    .digest('hex')
    .slice(0, 16);
  return { ...settings, credentialVersion };
}
