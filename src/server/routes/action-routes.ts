import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { auditOrigin } from '../request-audit.js';
import type { RouteDeps } from '../server-deps.js';

const ActionDescriptionSchema = Type.Object({
  name: Type.String(),
  summary: Type.String(),
  write: Type.Boolean(),
  permissions: Type.Array(Type.Array(Type.String()), {
    description: 'Any one of these sets of application permissions.',
  }),
  input: Type.Unknown({ description: 'JSON schema of the input.' }),
  output: Type.Unknown({ description: 'JSON schema of the output.' }),
});

/**
 * Every identity action of the registry (docs/actions.md): validated, run through the connection, audited by the
 * action service itself with the caller as actor.
 */
export function actionRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  const { actions } = deps.services;
  return async (app) => {
    const tags = ['actions'];
    app.get(
      '/actions',
      { config: { access: 'viewer' }, schema: { tags, response: { 200: Type.Array(ActionDescriptionSchema) } } },
      async () => actions.list().map((a) => ({ ...a, permissions: a.permissions.map((set) => [...set]) })),
    );
    app.post(
      '/connections/:name/actions/:action',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          params: Type.Object({ name: Type.String({ maxLength: 200 }), action: Type.String({ maxLength: 100 }) }),
          body: Type.Object({ input: Type.Unknown({ description: 'The action input (see GET /api/v1/actions).' }) }),
          response: { 200: Type.Object({ output: Type.Unknown() }) },
        },
      },
      async (request) => {
        const { actor, origin } = auditOrigin(request);
        const output = await actions.run(request.params.name, request.params.action, request.body.input ?? {}, {
          name: actor,
          origin,
        });
        return { output };
      },
    );
  };
}
