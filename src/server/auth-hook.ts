import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountService } from '../accounts/account-service.js';
import { roleAllows } from '../accounts/roles.js';
import { AppError } from '../core/errors.js';
import type { RouteAccess } from './route-roles.js';
import { CSRF_HEADER, SESSION_COOKIE, setSessionCookies } from './session-cookies.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Resolves the caller from `Authorization: Bearer <API token>` or the session cookie; undefined when neither. */
async function authenticate(request: FastifyRequest, reply: FastifyReply, accounts: AccountService): Promise<void> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await accounts.authenticateApiToken(match[1] as string) : undefined;
    // A wrong bearer token is an error even where a session cookie is present: scripts should learn of it.
    if (!principal) throw new AppError('AUTH_REQUIRED', { message: 'The API token is not valid.' });
    request.principal = principal;
    return;
  }
  const sessionToken = request.cookies[SESSION_COOKIE];
  if (!sessionToken) return;
  const found = await accounts.authenticateSession(sessionToken);
  if (!found) return;
  request.principal = found.principal;
  request.session = found.session;
  // A sliding session: the cookie's expiry follows the store's, so an active user is not logged out mid-work.
  if (found.renewedUntil) {
    setSessionCookies(request, reply, {
      sessionToken,
      csrfToken: found.session.csrfToken,
      expiresAt: found.renewedUntil,
    });
  }
}

function checkCsrf(request: FastifyRequest): void {
  if (!request.session || SAFE_METHODS.has(request.method)) return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !sameToken(sent, request.session.csrfToken)) {
    throw new AppError('AUTH_CSRF_FAILED');
  }
}

/**
 * The one place where access is enforced: every route declares `config.access` (a role or `public`); this hook
 * authenticates the caller, checks the role, and for cookie-authenticated writes checks the CSRF header.
 * Requests that match no route are handled by the not-found handler, which also requires a login for /api.
 */
export function registerAuthHook(
  app: FastifyInstance,
  accounts: AccountService,
  /** Called when an authenticated caller is refused (role or CSRF): a security event for the audit log. */
  onDenied: (request: FastifyRequest, error: AppError) => Promise<void> = async () => {},
): void {
  app.addHook('onRequest', async (request, reply) => {
    const access: RouteAccess | undefined = request.routeOptions.config?.access;
    if (access === 'public') {
      // Public routes still learn who is calling when they can (the login page asks for its session).
      await authenticate(request, reply, accounts).catch(() => undefined);
      return;
    }
    await authenticate(request, reply, accounts);
    if (access === undefined) return; // no route matched: the not-found handler decides
    if (!request.principal) throw new AppError('AUTH_REQUIRED');
    try {
      if (!roleAllows(request.principal.role, access)) {
        throw new AppError('AUTH_FORBIDDEN', {
          message: `This needs the ${access} role; you are ${request.principal.role}.`,
          hint:
            access === 'admin'
              ? 'Only admins may do this: ask an admin to give your account the admin role.'
              : `Ask an admin to give your account the ${access} role (or admin).`,
          details: { required: access, role: request.principal.role },
        });
      }
      checkCsrf(request);
    } catch (error) {
      if (error instanceof AppError) await onDenied(request, error);
      throw error;
    }
  });
}
