import type { Principal, Session } from '../accounts/account.js';
import type { Role } from '../accounts/roles.js';

/** Who may call a route: a role (or any higher one), or `public` (health, login and the UI's static files). */
export type RouteAccess = Role | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Declared by every route; the auth hook enforces it in one place (src/server/auth-hook.ts). */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Set by the auth hook when the caller is authenticated. */
    principal?: Principal;
    /** Set when the caller authenticated with the session cookie (so writes need the CSRF header). */
    session?: Session;
  }
}

/** One row of the route table: the authorization matrix test iterates over it, so no route can skip it. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

/**
 * The access of routes that plugins register without our config: the swagger UI pages need a login; the static
 * files of the UI (outside /api, with a file name) are public, as the login page needs them and they hold no data.
 * Anything else without a declared access is a programming error, refused when the app is built.
 */
export function defaultAccess(url: string): RouteAccess | undefined {
  if (url.startsWith('/api/docs')) return 'viewer';
  if (url.startsWith('/api') || url.startsWith('/metrics')) return undefined;
  if (url === '/' || /^\/([\w.-]+\/)*[\w.-]+\.\w+$/.test(url)) return 'public';
  return undefined;
}
