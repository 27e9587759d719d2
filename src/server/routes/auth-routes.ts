import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { isAppError } from '../../core/errors.js';
import type { RouteDeps } from '../server-deps.js';
import { clearSessionCookies, SESSION_COOKIE, setSessionCookies } from '../session-cookies.js';
import { accountJson } from './account-json.js';
import { AccountSchema, Ok, RoleSchema } from './schemas.js';

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 1000 }),
});
const SetupBody = Type.Object({
  setupToken: Type.String({ minLength: 1, maxLength: 200 }),
  username: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 1000 }),
});
const SessionReply = Type.Object({
  account: AccountSchema,
  csrfToken: Type.String({ description: 'Send it back as the x-csrf-token header on every write.' }),
});
const WhoAmI = Type.Object({
  kind: Type.Union([Type.Literal('account'), Type.Literal('token')]),
  name: Type.String(),
  role: RoleSchema,
  csrfToken: Type.Optional(Type.String()),
});

/**
 * The user name a login attempt names, as the audit log records it: attacker-chosen text, so only the characters a
 * user name may hold, at most 64 of them (a longer or stranger one is marked, never stored whole).
 */
export function auditActor(username: string): string {
  const trimmed = username.trim().toLowerCase();
  const kept = trimmed.replace(/[^a-z0-9._@-]/g, '').slice(0, 64);
  if (kept === trimmed && kept.length > 0) return kept;
  return `${kept || 'invalid'}…(sanitised)`;
}

/** Login, logout, the caller's identity and the one-time first-admin setup. */
export function authRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['auth'];
    app.post(
      '/auth/login',
      { config: { access: 'public' }, schema: { tags, body: LoginBody, response: { 200: SessionReply } } },
      async (request, reply) => {
        const actor = auditActor(request.body.username);
        let throttled: { scope: string; retryAfterSeconds: number; firstInWindow: boolean } | undefined;
        try {
          const result = await deps.accounts.login({
            ...request.body,
            ip: request.ip,
            onThrottled: (event) => {
              throttled = event;
            },
          });
          setSessionCookies(request, reply, result);
          await deps.audit(request, { actor, action: 'auth.login', result: 'succeeded' });
          return { account: accountJson(result.account), csrfToken: result.csrfToken };
        } catch (error) {
          const errorCode = isAppError(error) ? error.code : 'INTERNAL';
          // Refused attempts are aggregated: one row when a key's block starts, none for the attempts during it.
          if (throttled && !throttled.firstInWindow) throw error;
          await deps.audit(request, {
            actor,
            action: 'auth.login',
            result: 'failed',
            errorCode,
            ...(throttled
              ? { details: { throttled: throttled.scope, retryAfterSeconds: throttled.retryAfterSeconds } }
              : {}),
          });
          throw error;
        }
      },
    );
    app.post(
      '/auth/logout',
      { config: { access: 'viewer' }, schema: { tags, response: { 200: Ok } } },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await deps.accounts.logout(token);
        clearSessionCookies(request, reply);
        await deps.audit(request, { action: 'auth.logout', result: 'succeeded' });
        return { ok: true };
      },
    );
    app.get(
      '/auth/me',
      { config: { access: 'viewer' }, schema: { tags, response: { 200: WhoAmI } } },
      async (request) => {
        const principal = request.principal!;
        return {
          kind: principal.kind,
          name: principal.name,
          role: principal.role,
          ...(request.session ? { csrfToken: request.session.csrfToken } : {}),
        };
      },
    );
    app.post(
      '/auth/setup',
      { config: { access: 'public' }, schema: { tags, body: SetupBody, response: { 200: SessionReply } } },
      async (request, reply) => {
        const result = await deps.accounts.completeSetup({ ...request.body, ip: request.ip });
        setSessionCookies(request, reply, result);
        await deps.audit(request, {
          actor: result.account.username,
          action: 'account.setupAdmin',
          target: result.account.username,
          result: 'succeeded',
        });
        return { account: accountJson(result.account), csrfToken: result.csrfToken };
      },
    );
  };
}
