import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { Database } from '../store/schema.js';
import { eventSignals } from './event-metrics.js';
import { type DirectoryEvent, type EventType, isEventType } from './event-model.js';

export interface EventQuery {
  /** Events after this cursor (an event id); default: from the oldest kept. */
  after?: string;
  types?: readonly string[];
  /** Default 100, at most 1000. */
  limit?: number;
  /** The newest `limit` events (still oldest first) instead of the first after the cursor. */
  newest?: boolean;
}

export const DEFAULT_RETENTION_DAYS = 30;

type EventRow = {
  connection_id: string;
  seq: number;
  connection_name: string;
  type: string;
  occurred_at: string;
  source: string;
  run_id: string | null;
  data: string;
};

export function toEvent(row: EventRow): DirectoryEvent {
  return {
    id: String(row.seq),
    type: row.type as EventType,
    connection: row.connection_name,
    occurredAt: row.occurred_at,
    source: row.source === 'action' ? 'action' : 'sync',
    ...(row.run_id ? { runId: row.run_id } : {}),
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

function parseCursor(after: string | undefined): number {
  if (after === undefined || after === '') return 0;
  if (!/^\d{1,15}$/.test(after)) {
    throw new AppError('EVENT_CURSOR_INVALID', { message: `The cursor '${after}' is not an event id.` });
  }
  return Number(after);
}

function checkTypes(types: readonly string[] | undefined): string[] {
  const list = [...(types ?? [])];
  for (const t of list) {
    if (!isEventType(t)) throw new AppError('EVENT_TYPE_UNKNOWN', { message: `There is no event type '${t}'.` });
  }
  return list;
}

/**
 * Reading directory events (the pull side): pages after a cursor, long polls that wait for the next event, a
 * follow loop for `events tail` and SSE, and retention pruning.
 */
export class EventService {
  constructor(
    private readonly options: {
      db: Kysely<Database>;
      clock: Clock;
      connectionId(name: string): Promise<{ id: string; name: string }>;
      retentionDays?: number;
      /** How often waits re-read the outbox when no in-process signal came (writes of other instances). */
      pollMs?: number;
    },
  ) {}

  get retentionDays(): number {
    return this.options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  }

  async list(connection: string, query: EventQuery = {}): Promise<DirectoryEvent[]> {
    const { id } = await this.options.connectionId(connection);
    return this.listById(id, parseCursor(query.after), checkTypes(query.types), query.limit, query.newest);
  }

  private async listById(
    cid: string,
    after: number,
    types: string[],
    limit = 100,
    newest = false,
  ): Promise<DirectoryEvent[]> {
    let q = this.options.db
      .selectFrom('directory_events')
      .selectAll()
      .where('connection_id', '=', cid)
      .where('seq', '>', after);
    if (types.length > 0) q = q.where('type', 'in', types);
    const rows = await q
      .orderBy('seq', newest ? 'desc' : 'asc')
      .limit(Math.max(1, Math.min(limit, 1000)))
      .execute();
    if (newest) rows.reverse();
    return rows.map((r) => toEvent({ ...r, seq: Number(r.seq) }));
  }

  /** The newest cursor of the connection ('0' when it has no events yet): where `tail` starts. */
  async latest(connection: string): Promise<string> {
    const { id } = await this.options.connectionId(connection);
    const row = await this.options.db
      .selectFrom('event_cursors')
      .select('last_seq')
      .where('connection_id', '=', id)
      .executeTakeFirst();
    return String(Number(row?.last_seq ?? 0));
  }

  /** Long poll: the events after the cursor, waiting up to `waitMs` for the first one to arrive. */
  async wait(
    connection: string,
    query: EventQuery & { waitMs: number },
    signal?: AbortSignal,
  ): Promise<DirectoryEvent[]> {
    const { id } = await this.options.connectionId(connection);
    const after = parseCursor(query.after);
    const types = checkTypes(query.types);
    const deadline = this.options.clock.nowMs() + Math.max(0, query.waitMs);
    for (;;) {
      const events = await this.listById(id, after, types, query.limit);
      const left = deadline - this.options.clock.nowMs();
      if (events.length > 0 || left <= 0 || signal?.aborted) return events;
      await this.nextSignal(id, Math.min(left, this.options.pollMs ?? 500), signal);
    }
  }

  /** Yields every event after `after` as it is stored, until `signal` aborts (`events tail`, SSE). */
  async *follow(
    connection: string,
    query: Omit<EventQuery, 'limit'>,
    signal: AbortSignal,
  ): AsyncGenerator<DirectoryEvent> {
    let after = query.after ?? (await this.latest(connection));
    while (!signal.aborted) {
      const events = await this.wait(connection, { ...query, after, waitMs: 15_000 }, signal);
      for (const event of events) {
        after = event.id;
        yield event;
      }
    }
  }

  /** Resolves at the next write signal for the connection, after `ms`, or when aborted. */
  private nextSignal(cid: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        eventSignals.off('written', onWritten);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      // The signal comes from inside the write's transaction: read again a moment later, after its commit.
      const onWritten = (id: string) => {
        if (id === cid) setTimeout(done, 20);
      };
      const timer = setTimeout(done, ms);
      eventSignals.on('written', onWritten);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Deletes events older than the retention (and finished deliveries of them). Returns how many events went. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.options.clock.nowMs() - this.retentionDays * 86_400_000).toISOString();
    const db = this.options.db;
    await db
      .deleteFrom('webhook_deliveries')
      .where('created_at', '<', cutoff)
      .where('status', '!=', 'pending')
      .execute();
    const result = await db.deleteFrom('directory_events').where('occurred_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
