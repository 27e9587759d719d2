import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { CAPABILITY_NAMES, type CapabilityName } from '../../doctor/capabilities.js';
import { planForConnection } from '../../doctor/connection-permission-plan.js';
import { consentRedirectUri } from '../public-url.js';
import type { RouteDeps } from '../server-deps.js';
import { ConnectionName } from './connection-schemas.js';
import { PermissionPlanSchema } from './permission-plan-schema.js';

const Query = Type.Object({
  capability: Type.Optional(
    Type.Array(Type.Union(CAPABILITY_NAMES.map((name) => Type.Literal(name))), {
      maxItems: CAPABILITY_NAMES.length,
      description: 'Capabilities to plan for (repeat the parameter); default all.',
    }),
  ),
});

/** The permission planner over REST (product.md section 9.3): a viewer may read it, it holds no secret. */
export function permissionRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/connections/:name/permissions',
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['connections'],
          params: ConnectionName,
          querystring: Query,
          response: { 200: PermissionPlanSchema },
        },
      },
      async (request) => {
        const connection = await deps.services.connections.get(request.params.name);
        const capabilities = request.query.capability as CapabilityName[] | undefined;
        return planForConnection(connection, {
          ...(capabilities && capabilities.length > 0 ? { capabilities } : {}),
          ...(deps.publicUrl ? { consentRedirectUri: consentRedirectUri(deps.publicUrl) } : {}),
        });
      },
    );
  };
}
