import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../server-deps.js';
import { apiTokenJson } from './account-json.js';
import { Ok, RoleSchema } from './schemas.js';

const ApiTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the token, to tell tokens apart.' }),
  role: RoleSchema,
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  lastUsedAt: Type.Optional(Type.String({ format: 'date-time' })),
  revokedAt: Type.Optional(Type.String({ format: 'date-time' })),
});
const CreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  role: RoleSchema,
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
});
const Created = Type.Object({
  token: Type.String({ description: 'Shown once: store it now; gatehouse keeps only its hash.' }),
  apiToken: ApiTokenSchema,
});

/** API tokens for machines (workflows, scripts), managed by admins. */
export function tokenRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['tokens'];
    app.get(
      '/tokens',
      { config: { access: 'admin' }, schema: { tags, response: { 200: Type.Array(ApiTokenSchema) } } },
      async () => (await deps.accounts.listApiTokens()).map(apiTokenJson),
    );
    app.post(
      '/tokens',
      { config: { access: 'admin' }, schema: { tags, body: CreateBody, response: { 201: Created } } },
      async (request, reply) => {
        const { name, role, expiresAt } = request.body;
        const created = await deps.accounts.createApiToken({
          name,
          role,
          createdBy: request.principal!.name,
          creator: request.principal!,
          ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}),
        });
        await deps.audit(request, {
          action: 'token.create',
          target: created.apiToken.name,
          result: 'succeeded',
          details: { tokenId: created.apiToken.id, role, expiresAt: expiresAt ?? null },
        });
        return reply.status(201).send({ token: created.token, apiToken: apiTokenJson(created.apiToken) });
      },
    );
    app.delete(
      '/tokens/:id',
      {
        config: { access: 'admin' },
        schema: { tags, params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 200: Ok } },
      },
      async (request) => {
        await deps.accounts.revokeApiToken(request.params.id);
        await deps.audit(request, { action: 'token.revoke', target: request.params.id, result: 'succeeded' });
        return { ok: true };
      },
    );
  };
}
