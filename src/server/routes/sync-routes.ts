import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { AppError, isAppError } from '../../core/errors.js';
import { acceptEmptyJsonBodies } from '../empty-json-body.js';
import type { RouteDeps } from '../server-deps.js';
import { streamSyncEvents } from '../sync-event-stream.js';
import { ConnectionName } from './connection-schemas.js';

const Counts = Type.Object({ added: Type.Integer(), updated: Type.Integer(), removed: Type.Integer() });
/** `sync run --json` (product.md section 4) plus the run's details. */
export const SyncReportSchema = Type.Object(
  {
    connection: Type.String(),
    mode: Type.String(),
    status: Type.String({ description: 'succeeded | failed | quarantined' }),
    dryRun: Type.Optional(Type.Boolean()),
    users: Counts,
    groups: Counts,
    memberships: Type.Object({ added: Type.Integer(), removed: Type.Integer() }),
    requests: Type.Integer(),
    durationMs: Type.Number(),
  },
  { additionalProperties: true },
);
const RunRecordSchema = Type.Object(
  {
    id: Type.String(),
    startedAt: Type.String(),
    finishedAt: Type.Optional(Type.String()),
    mode: Type.String(),
    status: Type.String(),
    dryRun: Type.Boolean(),
    errorCode: Type.Optional(Type.String()),
    report: SyncReportSchema,
  },
  { additionalProperties: true },
);
const SettingsSchema = Type.Object(
  {
    connection: Type.String(),
    schedule: Type.Union([Type.String(), Type.Null()]),
    nextRunAt: Type.Union([Type.String(), Type.Null()]),
    disabledUsers: Type.String(),
    deleteThreshold: Type.Object({ count: Type.Integer(), percent: Type.Number() }),
    scopeGroup: Type.Union([Type.String(), Type.Null()]),
    notifications: Type.Optional(Type.String({ description: 'on | off' })),
  },
  { additionalProperties: true },
);
const RunBody = Type.Object({
  full: Type.Optional(Type.Boolean()),
  dryRun: Type.Optional(Type.Boolean()),
  allowDeletes: Type.Optional(Type.Boolean({ description: 'Release the accidental-deletion guard (quarantine).' })),
});
const ConfigureBody = Type.Object({
  schedule: Type.Optional(
    Type.String({ maxLength: 100, description: '`every 15m`, `daily 02:30 Europe/Berlin`, `off`' }),
  ),
  disabledUsers: Type.Optional(Type.Union([Type.Literal('exclude'), Type.Literal('include')])),
  deleteThreshold: Type.Optional(Type.String({ maxLength: 10, description: '`N` objects or `N%`' })),
  scopeGroup: Type.Optional(Type.String({ maxLength: 300, description: 'group id or displayName; empty clears' })),
  notifications: Type.Optional(
    Type.Union([Type.Literal('on'), Type.Literal('off')], {
      description: 'Graph change notifications trigger incremental syncs (the server needs --public-url)',
    }),
  ),
});

/** Sync: run (awaited, with live progress on the event stream), status, history, settings and schedule. */
export function syncRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  const { sync } = deps.services;
  return async (app) => {
    acceptEmptyJsonBodies(app);
    const tags = ['sync'];
    const named = { params: ConnectionName, tags };
    app.post(
      '/sync/:name/run',
      {
        config: { access: 'operator' },
        // No body (or an empty one) is a plain run: `curl -X POST …/run` must not answer 400.
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          ...named,
          body: RunBody,
          description: 'Runs a sync now; the body is optional (no body = an incremental run).',
          response: { 200: SyncReportSchema },
        },
      },
      async (request) => {
        const body = request.body ?? {};
        let report: Awaited<ReturnType<typeof sync.run>>;
        try {
          report = await sync.run(request.params.name, body);
        } catch (error) {
          // The run could not start (already running, unknown connection): audited with its code too.
          await deps.audit(request, {
            action: 'sync.run',
            connection: request.params.name,
            result: 'failed',
            errorCode: isAppError(error) ? error.code : 'INTERNAL',
          });
          throw error;
        }
        const failed = report.status === 'failed';
        await deps.audit(request, {
          action: 'sync.run',
          connection: report.connection,
          result: failed ? 'failed' : 'succeeded',
          ...(failed ? { errorCode: report.errors[0]?.code ?? 'INTERNAL' } : {}),
          details: { mode: report.mode, status: report.status, allowDeletes: body.allowDeletes === true },
        });
        return report;
      },
    );
    app.get(
      '/sync/:name/status',
      { config: { access: 'viewer' }, schema: { ...named, response: { 200: Type.Unknown() } } },
      async (request) => sync.status(request.params.name),
    );
    app.get(
      '/sync/:name/history',
      {
        config: { access: 'viewer' },
        schema: {
          ...named,
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
          response: { 200: Type.Array(RunRecordSchema) },
        },
      },
      async (request) => sync.history(request.params.name, request.query.limit ?? 20),
    );
    app.put(
      '/sync/:name/settings',
      { config: { access: 'admin' }, schema: { ...named, body: ConfigureBody, response: { 200: SettingsSchema } } },
      async (request) => {
        if (request.body.notifications === 'on' && !deps.publicUrl) {
          throw new AppError('SYNC_NOTIFICATIONS_PUBLIC_URL_REQUIRED', {
            details: { connection: request.params.name },
          });
        }
        const settings = await sync.configure(request.params.name, request.body);
        await deps.audit(request, {
          action: 'sync.configure',
          connection: settings.connection,
          result: 'succeeded',
          details: { ...request.body },
        });
        return settings;
      },
    );
    app.get(
      '/sync/:name/events',
      { config: { access: 'viewer' }, schema: { ...named, description: 'Server-sent events: progress, finished.' } },
      async (request, reply) => {
        // An unknown connection is a 404 before the stream opens.
        const connection = await deps.services.connections.get(request.params.name);
        streamSyncEvents(request, reply, sync.events, connection.name);
      },
    );
  };
}
