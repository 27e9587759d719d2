import type { DirectoryState } from '../directory-state.js';
import type { EmulatorRequest } from '../emulator-http.js';
import type { TenantIdentity } from '../tenant-identity.js';
import type { AccessTokenClaims } from '../token-signer.js';
import type { DeltaSettings } from './delta-settings.js';
import { GraphError, graphErrors } from './graph-error.js';
import type { ODataQuery } from './odata-query.js';
import { type Requirement, satisfies } from './permissions.js';

/** What a Graph route handler returns; the router adds Graph's headers and serialises the body. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Everything a route handler may use: the parsed request, the caller's token, the directory. */
export class GraphContext {
  constructor(
    readonly req: EmulatorRequest,
    /** Path segments after `/v1.0`, URL-decoded. */
    readonly segments: readonly string[],
    readonly query: ODataQuery,
    readonly claims: AccessTokenClaims,
    readonly dir: DirectoryState,
    readonly tenant: TenantIdentity,
    readonly delta: DeltaSettings,
    /** The caller's app may change privileged (admin) users. */
    readonly canManagePrivileged: boolean,
    /** Realism `strictInput`: refuse what Graph refuses (filter properties, id format, UPN characters, $expand). */
    readonly strict = false,
  ) {}

  get roles(): readonly string[] {
    return this.claims.roles ?? [];
  }

  /** Base for links: the emulator's own origin + `/v1.0` (Graph's nextLinks are absolute). */
  get root(): string {
    return `${this.req.url.origin}/v1.0`;
  }

  get now(): Date {
    return this.dir.clock.now();
  }

  /** 403 Authorization_RequestDenied unless the token's roles satisfy the requirement. */
  require(requirement: Requirement): void {
    if (!satisfies(this.roles, requirement)) throw graphErrors.denied();
  }

  /** The JSON request body as an object (400 like Graph for anything else). */
  jsonBody(): Record<string, unknown> {
    const text = this.req.body.toString('utf8');
    if (!text.trim()) throw new GraphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {}
    throw new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }

  /** The current URL with `$skiptoken` (or `$deltatoken`) replaced: how Graph builds its links. */
  linkWith(name: '$skiptoken' | '$deltatoken', token: string, path?: string): string {
    const params = new URLSearchParams();
    for (const [key, value] of this.req.url.searchParams) {
      const k = key.toLowerCase();
      if (k !== '$skiptoken' && k !== '$deltatoken' && k !== 'skiptoken' && k !== 'deltatoken')
        params.append(key, value);
    }
    params.append(name, token);
    const query = params.toString().replace(/%24/g, '$').replace(/%2C/gi, ',');
    return `${this.req.url.origin}${path ?? this.req.url.pathname}?${query}`;
  }
}
