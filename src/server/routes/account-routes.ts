import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../server-deps.js';
import { accountJson } from './account-json.js';
import { AccountSchema, Ok, RoleSchema } from './schemas.js';

const Username = Type.Object({ username: Type.String({ minLength: 1, maxLength: 200 }) });
const CreateBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 1000 }),
  role: RoleSchema,
});
const UpdateBody = Type.Object({
  role: Type.Optional(RoleSchema),
  disabled: Type.Optional(Type.Boolean()),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
});

/** Local accounts, managed by admins. Passwords go in, never come out. */
export function accountRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['accounts'];
    app.get(
      '/accounts',
      { config: { access: 'admin' }, schema: { tags, response: { 200: Type.Array(AccountSchema) } } },
      async () => (await deps.accounts.listAccounts()).map(accountJson),
    );
    app.post(
      '/accounts',
      { config: { access: 'admin' }, schema: { tags, body: CreateBody, response: { 201: AccountSchema } } },
      async (request, reply) => {
        const account = await deps.accounts.createAccount(request.body);
        await deps.audit(request, {
          action: 'account.create',
          target: account.username,
          result: 'succeeded',
          details: { role: account.role },
        });
        return reply.status(201).send(accountJson(account));
      },
    );
    app.patch(
      '/accounts/:username',
      {
        config: { access: 'admin' },
        schema: { tags, params: Username, body: UpdateBody, response: { 200: AccountSchema } },
      },
      async (request) => {
        const account = await deps.accounts.updateAccount(request.params.username, request.body);
        const { password, ...changed } = request.body;
        await deps.audit(request, {
          action: 'account.update',
          target: account.username,
          result: 'succeeded',
          details: { ...changed, passwordChanged: password !== undefined },
        });
        return accountJson(account);
      },
    );
    app.delete(
      '/accounts/:username',
      { config: { access: 'admin' }, schema: { tags, params: Username, response: { 200: Ok } } },
      async (request) => {
        await deps.accounts.deleteAccount(request.params.username);
        await deps.audit(request, { action: 'account.delete', target: request.params.username, result: 'succeeded' });
        return { ok: true };
      },
    );
  };
}
