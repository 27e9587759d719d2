import { compactVerify, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { aadsts } from './aadsts-error.js';
import type { EmulatedApp } from './app-registry.js';
import { LOGIN_HOSTS, namesTenant, type TenantIdentity } from './tenant-identity.js';

export interface AssertionContext {
  readonly app: EmulatedApp;
  readonly tenant: TenantIdentity;
  /** The emulator's own host:port as the client reached it (`Host` header), accepted under http and https. */
  readonly ownHost: string;
  readonly now: Date;
}

/** Entra tolerates a few minutes of clock skew on nbf/exp. */
const SKEW_SECONDS = 300;

/**
 * Verifies a certificate credential (https://learn.microsoft.com/entra/identity-platform/certificate-credentials):
 * the key named by `x5t#S256` (PS256) or `x5t` (RS256) must be registered on the app (else 700027), the signature
 * must verify against it (else 700027), `iss`=`sub`=client id and `aud` = the token endpoint (else 50012), and the
 * time range must hold (else 700024).
 */
export async function verifyClientAssertion(jwt: string, ctx: AssertionContext): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw aadsts.badAssertion('The client assertion is not a well-formed JWT.');
  }
  const s256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const s1 = typeof header.x5t === 'string' ? header.x5t : undefined;
  const cert = ctx.app.certificates.find((c) => (s256 ? c.x5tS256 === s256 : s1 !== undefined && c.x5t === s1));
  if (!cert) {
    const shown = Buffer.from(s256 ?? s1 ?? '', 'base64url')
      .toString('hex')
      .toUpperCase();
    throw aadsts.unknownKey(shown, ctx.app.clientId);
  }
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jwt, cert.publicKey, { algorithms: ['PS256', 'RS256'] }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEAlgNotAllowed)
      throw aadsts.badAssertion(`Algorithm '${header.alg}' is not supported.`);
    throw aadsts.badSignature();
  }
  const claims = parseClaims(payload);
  if (claims.iss !== ctx.app.clientId || claims.sub !== ctx.app.clientId)
    throw aadsts.badAssertion("The 'iss' and 'sub' claims must be the client id.");
  if (!audienceMatches(claims.aud, ctx)) throw aadsts.badAssertion(`The audience '${String(claims.aud)}' is invalid.`);
  const nowSec = ctx.now.getTime() / 1000;
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : 0;
  if (exp + SKEW_SECONDS < nowSec || nbf - SKEW_SECONDS > nowSec)
    throw aadsts.assertionTime(ctx.now, new Date(nbf * 1000), new Date(exp * 1000));
}

function parseClaims(payload: Uint8Array): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {}
  throw aadsts.badAssertion('The client assertion payload is not JSON.');
}

/** `aud` = token endpoint of this tenant: on a Microsoft login host (https) or on the emulator's own host (http/https). */
function audienceMatches(aud: unknown, ctx: AssertionContext): boolean {
  const values = Array.isArray(aud) ? aud : [aud];
  return values.some((value) => {
    if (typeof value !== 'string') return false;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    const microsoft = url.protocol === 'https:' && LOGIN_HOSTS.includes(url.host.toLowerCase());
    const own =
      (url.protocol === 'https:' || url.protocol === 'http:') && url.host.toLowerCase() === ctx.ownHost.toLowerCase();
    if (!microsoft && !own) return false;
    const match = /^\/([^/]+)\/(oauth2\/v2\.0\/token|oauth2\/token|v2\.0)\/?$/.exec(url.pathname);
    return match?.[1] !== undefined && namesTenant(match[1], ctx.tenant);
  });
}
