import type { JWK } from 'jose';

/** The issuer's published metadata and keys, as Entra fetches them for a federated token. */
export interface IssuerKeys {
  readonly keys: readonly JWK[];
}

/** Entra keeps the first 100 keys of an issuer's JWKS (facts H.1). */
const MAX_KEYS = 100;
const CACHE_MS = 60_000;
const TIMEOUT_MS = 5_000;

/** Fetching failed: AADSTS50166 "Request to External OIDC endpoint failed." */
export class DiscoveryError extends Error {}

/**
 * Reads `{issuer}/.well-known/openid-configuration` and its `jwks_uri`, as Entra does for a federated token
 * (https://openid.net/specs/openid-connect-discovery-1_0.html section 4). Real Entra insists on https; the emulator
 * also takes http on loopback so a test issuer needs no certificate. Answers are kept for a minute.
 */
export class OidcDiscovery {
  private readonly cache = new Map<string, { at: number; keys: IssuerKeys }>();

  async keysOf(issuer: string, options: { refresh?: boolean } = {}): Promise<IssuerKeys> {
    const cached = this.cache.get(issuer);
    if (cached && !options.refresh && Date.now() - cached.at < CACHE_MS) return cached.keys;
    const base = issuer.replace(/\/+$/, '');
    assertFetchable(base);
    const metadata = await fetchJson(`${base}/.well-known/openid-configuration`);
    const jwksUri = (metadata as { jwks_uri?: unknown }).jwks_uri;
    if (typeof jwksUri !== 'string') throw new DiscoveryError('The discovery document has no jwks_uri.');
    assertFetchable(jwksUri);
    const jwks = await fetchJson(jwksUri);
    const keys = (jwks as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) throw new DiscoveryError('The JWKS has no keys.');
    const result = { keys: (keys as JWK[]).slice(0, MAX_KEYS) };
    this.cache.set(issuer, { at: Date.now(), keys: result });
    return result;
  }
}

function assertFetchable(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DiscoveryError(`'${url}' is not a URL.`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback))
    throw new DiscoveryError(`'${url}' is neither https nor loopback http.`);
}

async function fetchJson(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  } catch (cause) {
    throw new DiscoveryError(`GET ${url} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (!response.ok) throw new DiscoveryError(`GET ${url} answered ${response.status}.`);
  try {
    return (await response.json()) as unknown;
  } catch {
    throw new DiscoveryError(`GET ${url} did not answer JSON.`);
  }
}
