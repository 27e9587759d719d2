import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { AppError } from '../../core/errors.js';
import { acceptEmptyJsonBodies } from '../empty-json-body.js';
import type { RouteDeps } from '../server-deps.js';

const Params = Type.Object({ connectionId: Type.String({ minLength: 1, maxLength: 100 }) });
const Query = Type.Object(
  { validationToken: Type.Optional(Type.String({ maxLength: 2048 })) },
  { additionalProperties: true },
);

/**
 * Microsoft Graph's change-notification endpoint (product.md section 9.2), public because Graph cannot log in:
 * what protects it is the random clientState of each subscription, checked by the notification service.
 *
 * - Validation handshake (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks): a POST with
 *   `?validationToken=…` is answered 200, `text/plain`, with the URL-decoded token, only while a subscription of the
 *   connection is being created; otherwise 404, so no one else can point a subscription at this endpoint.
 * - Notifications: answered 202 at once (Graph wants an answer within 3 s); items with a wrong clientState are
 *   ignored and audited; valid ones trigger a debounced incremental sync. Lifecycle notifications go to `/lifecycle`.
 */
export function notificationRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  const notifications = deps.services.notifications;
  return async (app) => {
    acceptEmptyJsonBodies(app);
    // Graph's validation request is `text/plain` (usually empty); anything else is kept as text and ignored.
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const handler = async (
      request: { params: { connectionId: string }; query: { validationToken?: string }; body: unknown; ip: string },
      reply: { code(n: number): unknown; type(t: string): unknown; send(b?: unknown): unknown },
    ) => {
      const { connectionId } = request.params;
      const token = request.query.validationToken;
      if (token !== undefined) {
        if (!(await notifications?.acceptsValidation(connectionId))) {
          throw new AppError('NOT_FOUND', { message: 'No change-notification subscription is being created here.' });
        }
        reply.code(200);
        reply.type('text/plain; charset=utf-8');
        return reply.send(token);
      }
      await notifications?.receive(connectionId, request.body, { address: request.ip });
      reply.code(202);
      return reply.send();
    };
    const schema = {
      params: Params,
      querystring: Query,
      tags: ['notifications'],
      description:
        'Microsoft Graph change notifications for a connection (set up by `sync configure NAME --notifications on`): the validation handshake and notifications; answered 202.',
    };
    app.post('/notifications/graph/:connectionId', { config: { access: 'public' }, schema }, handler);
    app.post(
      '/notifications/graph/:connectionId/lifecycle',
      {
        config: { access: 'public' },
        schema: { ...schema, description: 'Microsoft Graph lifecycle notifications for a connection; answered 202.' },
      },
      handler,
    );
  };
}
