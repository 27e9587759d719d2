import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { AppError } from '../../core/errors.js';
import type { RouteDeps } from '../server-deps.js';

const Status = Type.Object({ status: Type.String() });

/** Liveness, readiness (the store answers) and Prometheus metrics. */
export function healthRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/healthz',
      { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: Status } } },
      async () => ({ status: 'ok' }),
    );
    app.get(
      '/readyz',
      { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: Status } } },
      async () => {
        try {
          await deps.checkReady();
        } catch (error) {
          throw new AppError('STORE_UNAVAILABLE', { cause: error });
        }
        return { status: 'ready' };
      },
    );
    app.get('/metrics', { config: { access: 'viewer' }, schema: { hide: true } }, async (_request, reply) => {
      reply.type(deps.metrics.contentType);
      return deps.metrics.metrics();
    });
  };
}
