import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AuditEvent, AuditEventInput, AuditOrigin } from '../audit/audit-event.js';
import type { AuditLog, AuditQuery } from '../audit/ports.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { AuditLogTable } from './schema/audit.js';
import type { Database } from './schema.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function toEvent(row: Selectable<AuditLogTable>): AuditEvent {
  const origin: AuditOrigin = row.address
    ? { channel: row.channel as AuditOrigin['channel'], address: row.address }
    : { channel: row.channel as AuditOrigin['channel'] };
  return {
    id: row.id,
    at: new Date(row.at),
    actor: row.actor,
    origin,
    action: row.action,
    result: row.result === 'failed' ? 'failed' : 'succeeded',
    details: JSON.parse(row.details) as Record<string, unknown>,
    ...(row.connection === null ? {} : { connection: row.connection }),
    ...(row.target === null ? {} : { target: row.target }),
    ...(row.error_code === null ? {} : { errorCode: row.error_code }),
  };
}

/** The audit log on SQLite or PostgreSQL. Append-only: there is no update or delete. */
export function createAuditLogRepository(db: Kysely<Database>, clock: Clock = systemClock): AuditLog {
  return {
    async record(input: AuditEventInput): Promise<AuditEvent> {
      const event: AuditEvent = { ...input, id: randomUUID(), at: clock.now(), details: input.details ?? {} };
      await db
        .insertInto('audit_log')
        .values({
          id: event.id,
          at: event.at.toISOString(),
          actor: event.actor,
          channel: event.origin.channel,
          address: event.origin.address ?? null,
          connection: event.connection ?? null,
          action: event.action,
          target: event.target ?? null,
          result: event.result,
          error_code: event.errorCode ?? null,
          details: JSON.stringify(event.details ?? {}),
        })
        .execute();
      return event;
    },

    async list(query: AuditQuery = {}): Promise<AuditEvent[]> {
      const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
      let select = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(limit);
      if (query.connection !== undefined) select = select.where('connection', '=', query.connection);
      if (query.action !== undefined) select = select.where('action', '=', query.action);
      if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
      if (query.beforeId !== undefined) {
        const before = db.selectFrom('audit_log').select('seq').where('id', '=', query.beforeId);
        select = select.where('seq', '<', before);
      }
      const rows = await select.execute();
      return rows.map(toEvent);
    },
  };
}
