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

/** Login, logout, the caller's identity and the one-time first-admin setup. */
export function authRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['auth'];
    app.post(
      '/auth/login',
      { config: { access: 'public' }, schema: { tags, body: LoginBody, response: { 200: SessionReply } } },
      async (request, reply) => {
        const username = request.body.username.trim().toLowerCase();
        try {
          const result = await deps.accounts.login({ ...request.body, ip: request.ip });
          setSessionCookies(request, reply, result);
          await deps.audit(request, { actor: username, action: 'auth.login', result: 'succeeded' });
          return { account: accountJson(result.account), csrfToken: result.csrfToken };
        } catch (error) {
          const errorCode = isAppError(error) ? error.code : 'INTERNAL';
          await deps.audit(request, { actor: username, action: 'auth.login', result: 'failed', errorCode });
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
