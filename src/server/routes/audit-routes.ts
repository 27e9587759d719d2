import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../server-deps.js';

const Query = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  beforeId: Type.Optional(Type.String({ maxLength: 100 })),
  connection: Type.Optional(Type.String({ maxLength: 200 })),
  action: Type.Optional(Type.String({ maxLength: 200 })),
  actor: Type.Optional(Type.String({ maxLength: 200 })),
});
const AuditEventSchema = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  origin: Type.Object({ channel: Type.String(), address: Type.Optional(Type.String()) }),
  connection: Type.Optional(Type.String()),
  action: Type.String(),
  target: Type.Optional(Type.String()),
  result: Type.String(),
  errorCode: Type.Optional(Type.String()),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

/** The audit log (who, what, when, from where), newest first, for admins. */
export function auditRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/audit',
      {
        config: { access: 'admin' },
        schema: { tags: ['audit'], querystring: Query, response: { 200: Type.Array(AuditEventSchema) } },
      },
      async (request) => {
        const events = await deps.auditLog.list(request.query);
        return events.map((event) => ({ ...event, at: event.at.toISOString() }));
      },
    );
  };
}
