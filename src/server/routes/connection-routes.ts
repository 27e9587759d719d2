import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Connection } from '../../connections/connection.js';
import type { ConnectionChange } from '../../connections/connection-service.js';
import { exportConnection, importConnection } from '../../connections/connection-transfer.js';
import { toConnectionView } from '../../connections/connection-view.js';
import { credentialExpiryOf } from '../../connections/credential-expiry-view.js';
import { createPassphraseBox } from '../../crypto/passphrase-box.js';
import { auditOrigin } from '../request-audit.js';
import type { RouteDeps } from '../server-deps.js';
import {
  ConnectionChangeSchema,
  ConnectionName,
  ConnectionTypeSchema,
  ConnectionViewSchema,
  ParameterInputSchema,
  TestReportSchema,
} from './connection-schemas.js';
import { Ok } from './schemas.js';

const CreateBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  type: Type.String({ maxLength: 100 }),
  parameters: Type.Array(ParameterInputSchema, { maxItems: 50 }),
  allowGuidSecret: Type.Optional(Type.Boolean()),
});
const UpdateBody = Type.Object({
  set: Type.Optional(Type.Array(ParameterInputSchema, { maxItems: 50 })),
  unset: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
  rename: Type.Optional(Type.String({ maxLength: 200 })),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  allowGuidSecret: Type.Optional(Type.Boolean()),
});
const DraftBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200, description: 'Shown in the report; nothing is saved.' })),
  type: Type.String({ maxLength: 100 }),
  parameters: Type.Array(ParameterInputSchema, { maxItems: 50 }),
  allowGuidSecret: Type.Optional(Type.Boolean()),
  connection: Type.Optional(
    Type.String({ maxLength: 200, description: 'The saved connection being edited (its stored secrets can be kept).' }),
  ),
  keep: Type.Optional(
    Type.Array(Type.String({ maxLength: 100 }), {
      maxItems: 50,
      description: 'Secret keys of `connection` whose stored values the draft keeps (left empty in the form).',
    }),
  ),
});
const ImportBody = Type.Object({
  export: Type.Unknown({ description: 'A document written by `connections export` (or the sample file).' }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  passphrase: Type.Optional(Type.String({ maxLength: 1000 })),
  parameters: Type.Optional(Type.Array(ParameterInputSchema, { maxItems: 50 })),
  allowGuidSecret: Type.Optional(Type.Boolean()),
});

/** The public view (no secret values); arrays copied so the response schema's mutable types fit. */
function connectionJson(connection: Connection) {
  const { tokenState, ...view } = toConnectionView(connection);
  const credentialExpiry = credentialExpiryOf(connection);
  return {
    ...view,
    ...(credentialExpiry ? { credentialExpiry } : {}),
    ...(tokenState ? { tokenState: { ...tokenState, roles: [...(tokenState.roles ?? [])] } } : {}),
  };
}

function changeJson(change: ConnectionChange) {
  return { connection: connectionJson(change.connection), trimmed: change.trimmed, warnings: change.warnings };
}

/** Connections (the seed's form over REST): types, list, show, create, update, remove, copy, export, import, test. */
export function connectionRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  const { connections } = deps.services;
  const box = createPassphraseBox();
  return async (app) => {
    const tags = ['connections'];
    const named = { params: ConnectionName, tags };
    app.get(
      '/connection-types',
      { config: { access: 'viewer' }, schema: { tags, response: { 200: Type.Array(ConnectionTypeSchema) } } },
      async () =>
        connections.types.list().map((type) => ({
          name: type.name,
          description: type.description,
          parameters: type.parameters.map(({ key, label, required, secret, hint }) => ({
            key,
            label,
            required,
            secret,
            hint,
          })),
        })),
    );
    app.get(
      '/connections',
      { config: { access: 'viewer' }, schema: { tags, response: { 200: Type.Array(ConnectionViewSchema) } } },
      async () => {
        const list = await connections.list();
        return Promise.all(
          list.map(async (c) => {
            const lastSync = await deps.services.lastSync?.(c.name);
            return { ...connectionJson(c), ...(lastSync ? { lastSync } : {}) };
          }),
        );
      },
    );
    app.get(
      '/connections/:name',
      { config: { access: 'viewer' }, schema: { ...named, response: { 200: ConnectionViewSchema } } },
      async (request) => connectionJson(await connections.get(request.params.name)),
    );
    app.post(
      '/connections',
      { config: { access: 'admin' }, schema: { tags, body: CreateBody, response: { 201: ConnectionChangeSchema } } },
      async (request, reply) => {
        // Audited by the service (one place for every surface), as this request's actor.
        const change = await connections.create(request.body, auditOrigin(request));
        return reply.status(201).send(changeJson(change));
      },
    );
    app.patch(
      '/connections/:name',
      {
        config: { access: 'admin' },
        schema: { ...named, body: UpdateBody, response: { 200: ConnectionChangeSchema } },
      },
      async (request) => {
        const change = await connections.update(request.params.name, request.body, auditOrigin(request));
        return changeJson(change);
      },
    );
    app.delete(
      '/connections/:name',
      { config: { access: 'admin' }, schema: { ...named, response: { 200: Ok } } },
      async (request) => {
        await connections.remove(request.params.name, auditOrigin(request));
        return { ok: true };
      },
    );
    app.post(
      '/connections/:name/copy',
      {
        config: { access: 'admin' },
        schema: {
          ...named,
          body: Type.Object({ newName: Type.String({ maxLength: 200 }) }),
          response: { 201: ConnectionChangeSchema },
        },
      },
      async (request, reply) => {
        const change = await connections.copy(request.params.name, request.body.newName, auditOrigin(request));
        return reply.status(201).send(changeJson(change));
      },
    );
    app.get(
      '/connections/:name/export',
      { config: { access: 'viewer' }, schema: { ...named, response: { 200: Type.Unknown() } } },
      async (request) => {
        const connection = await connections.get(request.params.name);
        // Over the API, exports never carry secrets (the CLI can seal them with a passphrase file).
        return exportConnection(connections, connection, { box, now: deps.clock.now() });
      },
    );
    app.post(
      '/connections/import',
      { config: { access: 'admin' }, schema: { tags, body: ImportBody, response: { 201: ConnectionChangeSchema } } },
      async (request, reply) => {
        const { export: document, ...options } = request.body;
        const change = await importConnection(connections, document, { ...options, box, by: auditOrigin(request) });
        return reply.status(201).send(changeJson(change));
      },
    );
    app.post(
      '/connections/test',
      {
        // Admin only, like saving: a draft may send a stored secret to the AuthorityHost it names.
        config: { access: 'admin' },
        schema: {
          tags,
          body: DraftBody,
          description:
            'Tests a connection that is not saved (the dialog before Create or Update): the same four checks, nothing saved or recorded. Secret values are never echoed.',
          response: { 200: TestReportSchema },
        },
      },
      async (request) => {
        const report = await deps.services.testDraft(request.body);
        await deps.audit(request, {
          action: 'connection.test',
          ...(request.body.connection ? { connection: request.body.connection } : {}),
          target: report.connection,
          result: report.ok ? 'succeeded' : 'failed',
          ...(report.ok ? {} : { errorCode: report.checks.find((c) => c.status === 'fail')?.code ?? 'FAILED' }),
          // Keys only: the values (and above all the secrets) never enter the audit log.
          details: { draft: true, keys: request.body.parameters.map((p) => p.key) },
        });
        return report;
      },
    );
    app.post(
      '/connections/:name/test',
      { config: { access: 'operator' }, schema: { ...named, response: { 200: TestReportSchema } } },
      async (request) => {
        const report = await deps.services.testConnection(request.params.name);
        await deps.audit(request, {
          action: 'connection.test',
          connection: report.connection,
          result: report.ok ? 'succeeded' : 'failed',
          ...(report.ok ? {} : { errorCode: report.checks.find((c) => c.status === 'fail')?.code ?? 'FAILED' }),
        });
        return report;
      },
    );
  };
}
