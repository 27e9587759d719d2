import type { Kysely, Updateable } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { WebhookDeliveriesTable } from '../store/schema/events.js';
import type { Database } from '../store/schema.js';
import { eventMetrics, eventSignals, observeLatency } from './event-metrics.js';
import { toEvent } from './event-service.js';
import { sendWebhook } from './webhook-sender.js';
import { messageId, type SecretCipher } from './webhook-service.js';

export interface DispatcherOptions {
  db: Kysely<Database>;
  cipher: SecretCipher;
  clock: Clock;
  logger: Logger;
  /** This instance, as the lease names it (host/pid/random). */
  owner: string;
  /** How long an instance holds a webhook's queue without renewing (default 60 s; a killed instance's lease ends). */
  leaseMs?: number;
  /** How often to look for due deliveries without a signal (default 1 s). */
  pollMs?: number;
  /** First retry delay; doubles per attempt up to `maxDelayMs`, with ±50% jitter (default 5 s, 1 h). */
  retryBaseMs?: number;
  maxDelayMs?: number;
  /** How long an event is retried before it is marked failed (default 24 h). */
  retryWindowMs?: number;
  timeoutMs?: number;
  /** Deliveries read per round per webhook (default 200). */
  batch?: number;
  /** Called every hour (retention pruning). */
  onHourly?: () => Promise<unknown>;
}

type BatchRow = {
  seq: number;
  connection_id: string;
  event_seq: number;
  attempts: number;
  created_at: string;
  next_attempt_at: string;
  connection_name: string | null;
  type: string | null;
  occurred_at: string | null;
  source: string | null;
  run_id: string | null;
  data: string | null;
};

type Outcome = {
  seq: number;
  status: 'succeeded' | 'pending' | 'failed';
  set: Updateable<WebhookDeliveriesTable>;
};

/**
 * Delivers webhook messages: at least once, in event order per webhook (the oldest pending delivery goes first and
 * the next waits for it), retried with exponential backoff and jitter for the retry window, then marked failed and
 * kept for redelivery. One instance at a time delivers a webhook's queue (a lease on the webhook row, taken with a
 * conditional UPDATE, so it holds across instances on PostgreSQL); a killed instance's deliveries are taken over when
 * its lease ends, sent again with the same `webhook-id`.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private lastHourly = 0;
  private readonly onSignal = () => this.kick(10);

  constructor(private readonly options: DispatcherOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    eventSignals.on('written', this.onSignal);
    this.kick(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    eventSignals.off('written', this.onSignal);
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private kick(ms: number): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.round()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'webhook delivery round failed'))
        .finally(() => {
          this.running = undefined;
          const next = this.again ? 0 : (this.options.pollMs ?? 1000);
          this.again = false;
          this.kick(next);
        });
    }, ms);
    this.timer.unref?.();
  }

  /** One pass over every webhook with due deliveries. Returns after each was served (or is leased elsewhere). */
  async round(): Promise<void> {
    const { db, clock } = this.options;
    if (this.options.onHourly && clock.nowMs() - this.lastHourly > 3_600_000) {
      this.lastHourly = clock.nowMs();
      await this.options.onHourly().catch((error: unknown) => this.options.logger.warn({ err: error }, 'prune failed'));
    }
    const now = clock.now().toISOString();
    const due = await db
      .selectFrom('webhook_deliveries')
      .select('webhook_id')
      .distinct()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .execute();
    await Promise.all(due.map((d) => this.serve(d.webhook_id)));
  }

  private leaseUntil(): string {
    return new Date(this.options.clock.nowMs() + (this.options.leaseMs ?? 60_000)).toISOString();
  }

  private async serve(webhookId: string): Promise<void> {
    const { db, clock, owner } = this.options;
    const won = await db
      .updateTable('webhooks')
      .set({ lease_owner: owner, lease_until: this.leaseUntil() })
      .where('id', '=', webhookId)
      .where((eb) =>
        eb.or([
          eb('lease_until', 'is', null),
          eb('lease_until', '<', clock.now().toISOString()),
          eb('lease_owner', '=', owner),
        ]),
      )
      .executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) return;
    try {
      const hook = await db
        .selectFrom('webhooks')
        .select(['url', 'secret'])
        .where('id', '=', webhookId)
        .executeTakeFirst();
      if (!hook) return;
      const secret = this.options.cipher.decrypt(hook.secret, webhookId);
      let renewedAt = clock.nowMs();
      for (;;) {
        const batch = await db
          .selectFrom('webhook_deliveries as d')
          .leftJoin('directory_events as e', (join) =>
            join.onRef('e.connection_id', '=', 'd.connection_id').onRef('e.seq', '=', 'd.event_seq'),
          )
          .select([
            'd.seq',
            'd.connection_id',
            'd.event_seq',
            'd.attempts',
            'd.created_at',
            'd.next_attempt_at',
            'e.connection_name',
            'e.type',
            'e.occurred_at',
            'e.source',
            'e.run_id',
            'e.data',
          ])
          .where('d.webhook_id', '=', webhookId)
          .where('d.status', '=', 'pending')
          .orderBy('d.seq')
          .limit(this.options.batch ?? 200)
          .execute();
        if (batch.length === 0) return;
        const done: Outcome[] = [];
        let goOn = true;
        for (const delivery of batch) {
          if (this.stopped || delivery.next_attempt_at > clock.now().toISOString()) {
            goOn = false; // the head waits: order is kept
            break;
          }
          const outcome = await this.attempt(hook.url, secret, delivery);
          done.push(outcome);
          if (outcome.status === 'pending') {
            goOn = false;
            break;
          }
          if (done.length >= 100) await this.record(done.splice(0));
          if (clock.nowMs() - renewedAt > (this.options.leaseMs ?? 60_000) / 3) {
            renewedAt = clock.nowMs();
            await db
              .updateTable('webhooks')
              .set({ lease_until: this.leaseUntil() })
              .where('id', '=', webhookId)
              .where('lease_owner', '=', owner)
              .execute();
          }
        }
        await this.record(done);
        if (!goOn) return;
      }
    } finally {
      await db
        .updateTable('webhooks')
        .set({ lease_owner: null, lease_until: null })
        .where('id', '=', webhookId)
        .where('lease_owner', '=', owner)
        .execute();
    }
  }

  /** Writes the outcomes of a run of attempts in one transaction (a crash before it only means resending them). */
  private async record(outcomes: Outcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.options.db.transaction().execute(async (trx) => {
      for (const o of outcomes) {
        await trx.updateTable('webhook_deliveries').set(o.set).where('seq', '=', o.seq).execute();
      }
    });
    for (const o of outcomes) {
      if (o.status === 'succeeded') eventMetrics.delivered++;
      else if (o.status === 'failed') eventMetrics.failed++;
    }
  }

  /** One attempt; its outcome says whether the queue may go on (delivered or given up) or the head must wait. */
  private async attempt(url: string, secret: string, d: BatchRow): Promise<Outcome> {
    const { clock } = this.options;
    const seq = Number(d.seq);
    const at = clock.now();
    if (d.type === null || d.data === null) {
      // Pruned by retention before it could be delivered.
      return {
        seq,
        status: 'failed',
        set: { status: 'failed', error: 'event pruned before delivery', last_attempt_at: at.toISOString() },
      };
    }
    const event = toEvent({
      connection_id: d.connection_id,
      seq: Number(d.event_seq),
      connection_name: d.connection_name ?? d.connection_id,
      type: d.type,
      occurred_at: d.occurred_at ?? at.toISOString(),
      source: d.source ?? 'sync',
      run_id: d.run_id,
      data: d.data,
    });
    const result = await sendWebhook(
      url,
      secret,
      { id: messageId(d.connection_id, Number(d.event_seq)), body: JSON.stringify(event), timestamp: at },
      {
        ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
      },
    );
    observeLatency(result.latencyMs);
    const attempts = Number(d.attempts) + 1;
    const common = {
      attempts,
      last_attempt_at: at.toISOString(),
      response_status: result.status ?? null,
      latency_ms: result.latencyMs,
    };
    if (result.ok) {
      return {
        seq,
        status: 'succeeded',
        set: { ...common, status: 'succeeded', error: null, delivered_at: clock.now().toISOString() },
      };
    }
    eventMetrics.attemptsFailed++;
    const base = this.options.retryBaseMs ?? 5000;
    const delay = Math.min(base * 2 ** (attempts - 1), this.options.maxDelayMs ?? 3_600_000) * (0.5 + Math.random());
    const next = clock.nowMs() + delay;
    const giveUp = next - Date.parse(d.created_at) > (this.options.retryWindowMs ?? 86_400_000);
    if (giveUp) this.options.logger.warn({ event: event.id, error: result.error }, 'webhook delivery failed');
    return {
      seq,
      status: giveUp ? 'failed' : 'pending',
      set: {
        ...common,
        status: giveUp ? 'failed' : 'pending',
        error: result.error ?? 'failed',
        next_attempt_at: new Date(next).toISOString(),
      },
    };
  }
}
