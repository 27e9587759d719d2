import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { EVENT_TYPES } from '../../events/event-model.js';
import { openEventStream } from '../event-stream-response.js';
import type { RouteDeps } from '../server-deps.js';

const EventSchema = Type.Object(
  {
    id: Type.String({ description: 'The event id: a cursor, gapless and ordered per connection.' }),
    type: Type.String({ enum: [...EVENT_TYPES] }),
    connection: Type.String(),
    occurredAt: Type.String(),
    source: Type.String({ description: 'sync | action' }),
    runId: Type.Optional(Type.String()),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

const Types = Type.Optional(
  Type.Union([Type.String(), Type.Array(Type.String())], {
    description: 'Only these event types (repeat the parameter or comma-separate).',
  }),
);

function typesOf(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Directory events, the pull side (product.md section 9.2): pages with long poll, and a server-sent event stream. */
export function eventRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const events = deps.services.events;
    if (!events) return;
    const tags = ['events'];
    app.get(
      '/events',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          description:
            'Events of a connection after a cursor, oldest first. With `wait` (seconds, at most 60) the request waits for the first event when there is none yet (long poll). Continue with `after` = `next`.',
          querystring: Type.Object({
            connection: Type.String({ minLength: 1, maxLength: 200 }),
            after: Type.Optional(Type.String({ maxLength: 20 })),
            wait: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            newest: Type.Optional(Type.Boolean({ description: 'The newest `limit` events (no wait).' })),
            type: Types,
          }),
          response: { 200: Type.Object({ events: Type.Array(EventSchema), next: Type.String() }) },
        },
      },
      async (request) => {
        const q = request.query;
        const types = typesOf(q.type);
        const query = { ...(q.after ? { after: q.after } : {}), ...(types ? { types } : {}), limit: q.limit ?? 100 };
        const abort = new AbortController();
        request.raw.on('close', () => abort.abort());
        const list =
          q.wait && !q.newest
            ? await events.wait(q.connection, { ...query, waitMs: q.wait * 1000 }, abort.signal)
            : await events.list(q.connection, { ...query, ...(q.newest ? { newest: true } : {}) });
        return { events: list, next: list.at(-1)?.id ?? q.after ?? '0' };
      },
    );
    app.get(
      '/events/stream',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          description:
            'Server-sent events: one `event: <type>` with `id: <event id>` per directory event, from `after` (or the `Last-Event-ID` header) or else from now.',
          querystring: Type.Object({
            connection: Type.String({ minLength: 1, maxLength: 200 }),
            after: Type.Optional(Type.String({ maxLength: 20 })),
            type: Types,
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const types = typesOf(q.type);
        const lastEventId = request.headers['last-event-id'];
        const after = q.after ?? (typeof lastEventId === 'string' ? lastEventId : undefined);
        // Unknown connection, cursor or type: an error answer before the stream opens.
        await events.list(q.connection, { ...(after ? { after } : {}), ...(types ? { types } : {}), limit: 1 });
        const abort = new AbortController();
        const stopKeepAlive = openEventStream(request, reply, () => abort.abort());
        try {
          for await (const event of events.follow(
            q.connection,
            { ...(after ? { after } : {}), ...(types ? { types } : {}) },
            abort.signal,
          )) {
            reply.raw.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
          }
        } catch (error) {
          deps.logger.warn({ err: error }, 'event stream ended');
        } finally {
          stopKeepAlive();
          reply.raw.end();
        }
      },
    );
  };
}
