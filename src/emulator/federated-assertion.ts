import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { aadsts } from './aadsts-error.js';
import type { EmulatedApp } from './app-registry.js';
import type { FederatedCredentials } from './federated-credentials.js';
import { federationAadsts } from './federation-aadsts.js';
import { DiscoveryError, type OidcDiscovery } from './oidc-discovery.js';

export interface FederationDeps {
  readonly credentials: FederatedCredentials;
  readonly discovery: OidcDiscovery;
  readonly now: () => Date;
}

/** Entra tolerates a few minutes of clock skew on nbf/exp. */
const SKEW_SECONDS = 300;
/** Tokens Entra itself issued (v1 and v2 issuers), which federation refuses (AADSTS700222). */
const ENTRA_ISSUER =
  /^https:\/\/(sts\.windows\.net|login\.microsoftonline\.(com|us)|login\.partner\.microsoftonline\.cn)\//i;

/**
 * A client assertion is federated when someone other than the app issued it: a certificate assertion has
 * `iss` = `sub` = the client id (https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
 */
export function isFederatedAssertion(jwt: string, app: EmulatedApp): boolean {
  try {
    const iss = decodeJwt(jwt).iss;
    return typeof iss === 'string' && iss.toLowerCase() !== app.clientId.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Verifies a federated token the way Entra does (facts H.1): not Entra-issued; the app has federated credentials;
 * one matches `iss`, `sub` and `aud` exactly and is active; the issuer's discovery document and JWKS can be read;
 * the signing key is among its keys; RS256 signature; time range. Throws AadstsError with Entra's codes.
 */
export async function verifyFederatedAssertion(jwt: string, app: EmulatedApp, deps: FederationDeps): Promise<void> {
  const claims = decodeJwt(jwt);
  const issuer = String(claims.iss ?? '');
  const subject = String(claims.sub ?? '');
  const audiences = [claims.aud ?? []].flat().map(String);
  if (ENTRA_ISSUER.test(issuer)) throw federationAadsts.entraIssued();
  const configured = deps.credentials.list(app.clientId);
  if (configured.length === 0) throw federationAadsts.notConfigured(app.clientId, app.displayName);
  const byIssuer = configured.filter((c) => c.issuer === issuer);
  if (byIssuer.length === 0) throw federationAadsts.issuerMismatch(issuer);
  const bySubject = byIssuer.filter((c) => c.subject === subject);
  if (bySubject.length === 0) throw federationAadsts.subjectMismatch(subject);
  const matching = bySubject.filter((c) => c.audiences.some((a) => audiences.includes(a)));
  if (matching.length === 0) throw federationAadsts.audienceMismatch(audiences.join(','));
  if (!matching.some((c) => c.activeFrom.getTime() <= deps.now().getTime()))
    throw federationAadsts.noMatch(issuer, subject, audiences.join(','));

  const header = decodeProtectedHeader(jwt);
  const keyId = typeof header.kid === 'string' ? header.kid : typeof header.x5t === 'string' ? header.x5t : '';
  const key = await findKey(issuer, keyId, deps.discovery);
  if (header.alg !== 'RS256') throw aadsts.badAssertion(`Algorithm '${String(header.alg)}' is not supported.`);
  try {
    await compactVerify(jwt, await importJWK({ ...key, alg: 'RS256' }, 'RS256'), { algorithms: ['RS256'] });
  } catch {
    throw aadsts.badSignature();
  }
  const nowSec = deps.now().getTime() / 1000;
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : (claims.iat ?? 0);
  if (exp + SKEW_SECONDS < nowSec || nbf - SKEW_SECONDS > nowSec)
    throw aadsts.assertionTime(deps.now(), new Date(nbf * 1000), new Date(exp * 1000));
}

/** The key named by `kid` (or `x5t`); the keys are fetched again once before giving up (the issuer rotated). */
async function findKey(issuer: string, keyId: string, discovery: OidcDiscovery): Promise<JWK> {
  for (const refresh of [false, true]) {
    let keys: readonly JWK[];
    try {
      keys = (await discovery.keysOf(issuer, { refresh })).keys;
    } catch (error) {
      if (error instanceof DiscoveryError) throw federationAadsts.issuerUnreachable();
      throw error;
    }
    const key = keys.find((k) => k.kid === keyId || k.x5t === keyId);
    if (key) return key;
  }
  throw federationAadsts.keyNotFound(keyId || '(none)', issuer);
}
