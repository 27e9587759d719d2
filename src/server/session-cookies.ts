import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'gh_session';
/** Readable by the UI's script (not HttpOnly): it echoes it in the `x-csrf-token` header (double submit). */
export const CSRF_COOKIE = 'gh_csrf';
export const CSRF_HEADER = 'x-csrf-token';

function secure(request: FastifyRequest): boolean {
  // `request.protocol` honours X-Forwarded-Proto only when trustProxy is set, so plain http on loopback still works.
  return request.protocol === 'https';
}

export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  session: { sessionToken: string; csrfToken: string; expiresAt: Date },
): void {
  const common = { path: '/', sameSite: 'strict' as const, secure: secure(request), expires: session.expiresAt };
  reply.setCookie(SESSION_COOKIE, session.sessionToken, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply): void {
  const common = { path: '/', sameSite: 'strict' as const, secure: secure(request) };
  reply.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, common);
}
