import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { EVENT_TYPES } from '../../events/event-model.js';
import { acceptEmptyJsonBodies } from '../empty-json-body.js';
import type { RouteDeps } from '../server-deps.js';

const WebhookSchema = Type.Object({
  name: Type.String(),
  url: Type.String(),
  connection: Type.Union([Type.String(), Type.Null()]),
  types: Type.Array(Type.String()),
  groups: Type.Array(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  deliveries: Type.Object({ pending: Type.Integer(), succeeded: Type.Integer(), failed: Type.Integer() }),
});
const DeliverySchema = Type.Object({
  eventId: Type.String(),
  connection: Type.String(),
  type: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'pending | succeeded | failed' }),
  attempts: Type.Integer(),
  responseStatus: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  latencyMs: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
});
const Named = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });
const CreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  url: Type.String({ minLength: 1, maxLength: 2000 }),
  connection: Type.Optional(Type.String({ maxLength: 200 })),
  types: Type.Optional(Type.Array(Type.String({ enum: [...EVENT_TYPES] }), { maxItems: 20 })),
  groups: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 50 })),
});

/** Webhooks (admin): create (the signing secret is in this answer only), list, show, delete, test, deliveries, redeliver. */
export function webhookRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const webhooks = deps.services.webhooks;
    if (!webhooks) return;
    acceptEmptyJsonBodies(app);
    const tags = ['webhooks'];
    const admin = { access: 'admin' as const };
    app.post(
      '/webhooks',
      {
        config: admin,
        schema: {
          tags,
          body: CreateBody,
          description: 'Creates a webhook. `secret` (whsec_…) is returned only in this answer.',
          response: { 201: Type.Intersect([WebhookSchema, Type.Object({ secret: Type.String() })]) },
        },
      },
      async (request, reply) => {
        const actor = request.principal?.name;
        const { webhook, secret } = await webhooks.create(request.body, actor);
        await deps.audit(request, {
          action: 'webhook.create',
          target: webhook.name,
          result: 'succeeded',
          details: { url: webhook.url, connection: webhook.connection, types: webhook.types, groups: webhook.groups },
        });
        return reply.status(201).send({ ...webhook, secret });
      },
    );
    app.get('/webhooks', { config: admin, schema: { tags, response: { 200: Type.Array(WebhookSchema) } } }, async () =>
      webhooks.list(),
    );
    app.get(
      '/webhooks/:name',
      { config: admin, schema: { tags, params: Named, response: { 200: WebhookSchema } } },
      async (request) => webhooks.show(request.params.name),
    );
    app.delete('/webhooks/:name', { config: admin, schema: { tags, params: Named } }, async (request, reply) => {
      await webhooks.remove(request.params.name);
      await deps.audit(request, { action: 'webhook.delete', target: request.params.name, result: 'succeeded' });
      return reply.status(204).send();
    });
    app.post(
      '/webhooks/:name/test',
      {
        config: admin,
        schema: {
          tags,
          params: Named,
          description: 'Sends a signed webhook.ping now.',
          response: {
            200: Type.Object({
              ok: Type.Boolean(),
              status: Type.Optional(Type.Integer()),
              error: Type.Optional(Type.String()),
              latencyMs: Type.Integer(),
            }),
          },
        },
      },
      async (request) => {
        const result = await webhooks.test(request.params.name);
        await deps.audit(request, {
          action: 'webhook.test',
          target: request.params.name,
          result: result.ok ? 'succeeded' : 'failed',
        });
        return result;
      },
    );
    app.get(
      '/webhooks/:name/deliveries',
      {
        config: admin,
        schema: {
          tags,
          params: Named,
          querystring: Type.Object({
            failed: Type.Optional(Type.Boolean()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          }),
          response: { 200: Type.Array(DeliverySchema) },
        },
      },
      async (request) =>
        webhooks.deliveries(request.params.name, {
          failed: request.query.failed === true,
          limit: request.query.limit ?? 100,
        }),
    );
    app.post(
      '/webhooks/:name/redeliver',
      {
        config: admin,
        schema: {
          tags,
          params: Named,
          body: Type.Object({
            eventId: Type.String({ minLength: 1, maxLength: 20 }),
            connection: Type.Optional(Type.String({ maxLength: 200 })),
          }),
          response: { 200: Type.Array(DeliverySchema) },
        },
      },
      async (request) => {
        const list = await webhooks.redeliver(request.params.name, request.body.eventId, request.body.connection);
        await deps.audit(request, {
          action: 'webhook.redeliver',
          target: request.params.name,
          result: 'succeeded',
          details: { eventId: request.body.eventId },
        });
        return list;
      },
    );
  };
}
