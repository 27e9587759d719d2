import { createHash } from 'node:crypto';
import type { AppRegistry, EmulatedApp } from '../app-registry.js';
import type { GraphContext, RouteResult } from './graph-context.js';
import { graphErrors } from './graph-error.js';
import type { Requirement } from './permissions.js';

/**
 * `GET /v1.0/applications(appId='{appId}')` and `GET /v1.0/applications/{id}` with the app's password and key
 * credentials (https://learn.microsoft.com/graph/api/application-get, facts I). Least privileged app-only permission:
 * Application.Read.All; the emulator grants nothing to an app reading itself without it (undocumented in Graph).
 */
export const READ_APPLICATIONS: Requirement = [
  ['Application.Read.All'],
  ['Application.ReadWrite.OwnedBy'],
  ['Application.ReadWrite.All'],
  ['Directory.Read.All'],
  ['Directory.ReadWrite.All'],
];

export interface ApplicationDirectory {
  readonly apps: AppRegistry;
  /** startDateTime of credentials registered before the emulator kept track (the emulator's start). */
  readonly startedAt: Date;
}

const BY_APP_ID = /^applications\(appId='([^']+)'\)$/i;

/** Handles the request when its first segment addresses an application; undefined otherwise. */
export function applicationRoute(
  ctx: GraphContext,
  segments: readonly string[],
  directory: ApplicationDirectory,
): RouteResult | undefined {
  const [root, id, sub] = segments;
  const byAppId = root ? BY_APP_ID.exec(root) : null;
  if (!byAppId && !(root === 'applications' && id)) return undefined;
  if (ctx.req.method !== 'GET' || (byAppId ? id : sub)) throw graphErrors.methodNotAllowed();
  ctx.require(READ_APPLICATIONS);
  const key = byAppId ? (byAppId[1] as string) : (id as string);
  const app = byAppId
    ? directory.apps.get(key)
    : directory.apps.all().find((candidate) => applicationObjectId(candidate) === key.toLowerCase());
  if (!app) throw graphErrors.notFound(key);
  const full = applicationJson(app, directory.startedAt, ctx.root);
  const select = ctx.query.select;
  const body = select
    ? Object.fromEntries(
        Object.entries(full).filter(([name]) => name.startsWith('@odata') || name === 'id' || select.includes(name)),
      )
    : full;
  return { status: 200, body };
}

/** The application object's own id (not the service principal's), derived from the client id. */
export function applicationObjectId(app: EmulatedApp): string {
  const hex = createHash('sha256').update(`application\u0000${app.clientId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function applicationJson(app: EmulatedApp, startedAt: Date, root: string): Record<string, unknown> {
  return {
    '@odata.context': `${root}/$metadata#applications/$entity`,
    id: applicationObjectId(app),
    appId: app.clientId,
    displayName: app.displayName,
    // `hint` is the first three characters of the secret; `secretText` only ever comes back from addPassword.
    passwordCredentials: app.secrets.map((secret) => ({
      customKeyIdentifier: null,
      displayName: 'gatehouse',
      endDateTime: secret.expiresAt.toISOString(),
      hint: secret.value.slice(0, 3),
      keyId: secret.secretId,
      secretText: null,
      startDateTime: startedAt.toISOString(),
    })),
    // customKeyIdentifier is Edm.Binary (base64 in JSON) and defaults to the certificate's SHA-1 thumbprint.
    keyCredentials: app.certificates.map((certificate) => ({
      customKeyIdentifier: Buffer.from(certificate.thumbprintSha1, 'hex').toString('base64'),
      displayName: 'CN=gatehouse',
      endDateTime: certificate.notAfter.toISOString(),
      key: null,
      keyId: createHash('sha256')
        .update(certificate.thumbprintSha256)
        .digest('hex')
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
      startDateTime: startedAt.toISOString(),
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
    })),
  };
}
