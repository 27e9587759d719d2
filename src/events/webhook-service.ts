import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { Database } from '../store/schema.js';
import { isUniqueViolation } from '../store/unique-violation.js';
import { eventSignals } from './event-metrics.js';
import { isEventType, PING_TYPE } from './event-model.js';
import { sendWebhook } from './webhook-sender.js';
import { checkWebhookUrl } from './webhook-url.js';

/**
 * Encrypts and decrypts webhook secrets (the key ring, as for connection secrets). Each envelope is sealed for its
 * webhook's id (`webhookSecretBinding`), so a database writer cannot move one webhook's secret to another.
 */
export interface SecretCipher {
  encrypt(plaintext: string, webhookId: string): string;
  decrypt(envelope: string, webhookId: string): string;
}

/** The associated data a webhook's signing secret is sealed with (never a connection's binding). */
export function webhookSecretBinding(webhookId: string): string {
  return JSON.stringify(['gatehouse-webhook-secret', webhookId]);
}

export interface WebhookView {
  name: string;
  url: string;
  /** null = every connection. */
  connection: string | null;
  types: string[];
  /** Watched group ids (membership and group events of these groups, with transitive membership events). */
  groups: string[];
  createdAt: string;
  createdBy: string | null;
  deliveries: { pending: number; succeeded: number; failed: number };
}

export interface DeliveryView {
  eventId: string;
  connection: string;
  type: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  latencyMs: number | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

export interface WebhookCreateInput {
  name: string;
  url: string;
  connection?: string;
  types?: readonly string[];
  /** Group ids or exact displayNames (needs `connection`). */
  groups?: readonly string[];
}

/** The `webhook-id` of an event's message: the same for every attempt and redelivery of it. */
export function messageId(connectionId: string, seq: number): string {
  return `evt_${connectionId}_${seq}`;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Webhooks (product.md section 9.2): create (secret shown once), list, show, remove, test, deliveries, redeliver. */
export class WebhookService {
  constructor(
    private readonly options: {
      db: Kysely<Database>;
      cipher: SecretCipher;
      clock: Clock;
      connection(name: string): Promise<{ id: string; name: string }>;
      connectionName(id: string): Promise<string | undefined>;
      resolveGroupId(connectionId: string, group: string): Promise<string>;
      allowPrivate?: boolean;
      resolve?: (host: string) => Promise<string[]>;
    },
  ) {}

  async create(input: WebhookCreateInput, actor?: string): Promise<{ webhook: WebhookView; secret: string }> {
    if (!NAME.test(input.name)) {
      throw new AppError('REQUEST_INVALID', {
        message: `'${input.name}' is not a valid webhook name: 1 to 64 letters, digits, dot, underscore or hyphen.`,
      });
    }
    const url = await checkWebhookUrl(input.url, {
      ...(this.options.allowPrivate ? { allowPrivate: true } : {}),
      ...(this.options.resolve ? { resolve: this.options.resolve } : {}),
    });
    for (const t of input.types ?? []) {
      if (!isEventType(t)) throw new AppError('EVENT_TYPE_UNKNOWN', { message: `There is no event type '${t}'.` });
    }
    const connection = input.connection ? await this.options.connection(input.connection) : undefined;
    if ((input.groups?.length ?? 0) > 0 && !connection) {
      throw new AppError('REQUEST_INVALID', { message: 'Watching groups needs a connection (--connection NAME).' });
    }
    const groups: string[] = [];
    for (const g of input.groups ?? []) {
      groups.push(await this.options.resolveGroupId((connection as { id: string }).id, g));
    }
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const id = randomUUID();
    const row = {
      id,
      name: input.name,
      url,
      connection_id: connection?.id ?? null,
      types: JSON.stringify([...new Set(input.types ?? [])]),
      groups: JSON.stringify([...new Set(groups)]),
      secret: this.options.cipher.encrypt(secret, id),
      created_at: this.options.clock.now().toISOString(),
      created_by: actor ?? null,
      lease_owner: null,
      lease_until: null,
    };
    try {
      await this.options.db.insertInto('webhooks').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('WEBHOOK_NAME_TAKEN', { message: `A webhook named '${input.name}' already exists.` });
      }
      throw error;
    }
    return { webhook: await this.show(input.name), secret };
  }

  private async row(name: string) {
    const row = await this.options.db.selectFrom('webhooks').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw new AppError('WEBHOOK_NOT_FOUND', { message: `There is no webhook named '${name}'.` });
    return row;
  }

  private async view(row: Awaited<ReturnType<WebhookService['row']>>): Promise<WebhookView> {
    const counts = await this.options.db
      .selectFrom('webhook_deliveries')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('webhook_id', '=', row.id)
      .groupBy('status')
      .execute();
    const count = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
    return {
      name: row.name,
      url: row.url,
      connection: row.connection_id
        ? ((await this.options.connectionName(row.connection_id)) ?? row.connection_id)
        : null,
      types: JSON.parse(row.types) as string[],
      groups: JSON.parse(row.groups) as string[],
      createdAt: row.created_at,
      createdBy: row.created_by,
      deliveries: { pending: count('pending'), succeeded: count('succeeded'), failed: count('failed') },
    };
  }

  async show(name: string): Promise<WebhookView> {
    return this.view(await this.row(name));
  }

  async list(): Promise<WebhookView[]> {
    const rows = await this.options.db.selectFrom('webhooks').selectAll().orderBy('name').execute();
    return Promise.all(rows.map((r) => this.view(r)));
  }

  /** Removes the webhook and its delivery log. */
  async remove(name: string): Promise<void> {
    const row = await this.row(name);
    await this.options.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', row.id).execute();
      await trx.deleteFrom('webhooks').where('id', '=', row.id).execute();
    });
  }

  /** The delivery log, newest first. */
  async deliveries(name: string, options: { failed?: boolean; limit?: number } = {}): Promise<DeliveryView[]> {
    const row = await this.row(name);
    let q = this.options.db
      .selectFrom('webhook_deliveries as d')
      .leftJoin('directory_events as e', (join) =>
        join.onRef('e.connection_id', '=', 'd.connection_id').onRef('e.seq', '=', 'd.event_seq'),
      )
      .select([
        'd.event_seq',
        'd.connection_id',
        'd.status',
        'd.attempts',
        'd.response_status',
        'd.error',
        'd.latency_ms',
        'd.created_at',
        'd.last_attempt_at',
        'd.next_attempt_at',
        'd.delivered_at',
        'e.type',
        'e.connection_name',
      ])
      .where('d.webhook_id', '=', row.id);
    if (options.failed) q = q.where('d.status', '=', 'failed');
    const rows = await q
      .orderBy('d.seq', 'desc')
      .limit(Math.min(options.limit ?? 100, 1000))
      .execute();
    return rows.map((r) => ({
      eventId: String(r.event_seq),
      connection: r.connection_name ?? r.connection_id,
      type: r.type,
      status: r.status as DeliveryView['status'],
      attempts: Number(r.attempts),
      responseStatus: r.response_status === null ? null : Number(r.response_status),
      error: r.error,
      latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
      createdAt: r.created_at,
      lastAttemptAt: r.last_attempt_at,
      nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
      deliveredAt: r.delivered_at,
    }));
  }

  /**
   * Queues the event for delivery again (a failed one, or one delivered that the receiver lost). With a webhook for
   * every connection, `connection` picks whose event id it is (default: the deliveries already logged with that id).
   */
  async redeliver(name: string, eventId: string, connection?: string): Promise<DeliveryView[]> {
    const row = await this.row(name);
    if (!/^\d{1,15}$/.test(eventId)) {
      throw new AppError('EVENT_CURSOR_INVALID', { message: `'${eventId}' is not an event id.` });
    }
    const seq = Number(eventId);
    const cid = connection ? (await this.options.connection(connection)).id : (row.connection_id ?? undefined);
    const now = this.options.clock.now().toISOString();
    const db = this.options.db;
    let q = db
      .selectFrom('webhook_deliveries')
      .select('seq')
      .where('webhook_id', '=', row.id)
      .where('event_seq', '=', seq);
    if (cid) q = q.where('connection_id', '=', cid);
    const existing = await q.execute();
    if (existing.length === 0) {
      const event = cid
        ? await db
            .selectFrom('directory_events')
            .select(['connection_id', 'seq'])
            .where('connection_id', '=', cid)
            .where('seq', '=', seq)
            .executeTakeFirst()
        : undefined;
      if (!event) throw new AppError('EVENT_NOT_FOUND', { message: `No event ${eventId} is kept for this webhook.` });
      await db
        .insertInto('webhook_deliveries')
        .values({
          webhook_id: row.id,
          connection_id: event.connection_id,
          event_seq: seq,
          status: 'pending',
          attempts: 0,
          created_at: now,
          next_attempt_at: now,
        })
        .execute();
    } else {
      await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', attempts: 0, created_at: now, next_attempt_at: now, delivered_at: null })
        .where(
          'seq',
          'in',
          existing.map((e) => e.seq),
        )
        .execute();
    }
    eventSignals.emit('written', cid ?? '');
    return (await this.deliveries(name, { limit: 1000 })).filter((d) => d.eventId === eventId);
  }

  /** Sends a signed `webhook.ping` now (not logged as a delivery) and says how the receiver answered. */
  async test(name: string): Promise<{ ok: boolean; status?: number; error?: string; latencyMs: number }> {
    const row = await this.row(name);
    const now = this.options.clock.now();
    const body = JSON.stringify({
      id: `ping_${randomUUID()}`,
      type: PING_TYPE,
      connection: row.connection_id ? ((await this.options.connectionName(row.connection_id)) ?? null) : null,
      occurredAt: now.toISOString(),
      data: { webhook: row.name },
    });
    return sendWebhook(
      row.url,
      this.options.cipher.decrypt(row.secret, row.id),
      { id: `ping_${randomUUID()}`, body, timestamp: now },
      {},
    );
  }
}
