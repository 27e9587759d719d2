import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { AppError, toAppError } from '../../core/errors.js';
import { consentErrorPage, consentOutcomePage } from '../consent-page.js';
import { auditOrigin } from '../request-audit.js';
import type { RouteDeps } from '../server-deps.js';
import { ConnectionName } from './connection-schemas.js';

const text = Type.Optional(Type.String({ maxLength: 4000 }));
const CallbackQuery = Type.Object(
  { state: text, admin_consent: text, tenant: text, scope: text, error: text, error_description: text },
  { additionalProperties: true },
);

/**
 * The admin-consent round trip (product.md 9.3): an admin starts it (`POST …/consent` answers the URL to open), and
 * Entra sends the browser back to `GET /consent/callback`, public because it arrives from Microsoft's page; only
 * the single-use state ties it to the round trip an admin started.
 */
export function consentRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/connections/:name/consent',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['connections'],
          params: ConnectionName,
          description: 'Starts an admin-consent round trip: open `url`; Entra returns to /consent/callback.',
          response: { 200: Type.Object({ url: Type.String(), expiresAt: Type.String() }) },
        },
      },
      async (request) => {
        const consent = deps.services.consent;
        if (!consent?.available) throw new AppError('CONSENT_PUBLIC_URL_REQUIRED');
        return consent.start(request.params.name, auditOrigin(request));
      },
    );
    app.get(
      '/consent/callback',
      { config: { access: 'public' }, schema: { hide: true, querystring: CallbackQuery } },
      async (request, reply) => {
        reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'no-referrer');
        const consent = deps.services.consent;
        try {
          if (!consent?.available) throw new AppError('CONSENT_PUBLIC_URL_REQUIRED');
          const outcome = await consent.complete(request.query, auditOrigin(request).origin);
          return reply.status(outcome.granted ? 200 : 403).send(consentOutcomePage(outcome));
        } catch (error) {
          const appError = toAppError(error);
          return reply.status(appError.status).send(consentErrorPage(appError));
        }
      },
    );
  };
}
