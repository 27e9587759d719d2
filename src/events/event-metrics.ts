import { EventEmitter } from 'node:events';
import { Histogram } from 'prom-client';

/**
 * Process-wide event figures for `/metrics`, and a signal that events were written (long polls, SSE and the delivery
 * worker look again at once instead of waiting for their next poll).
 */
export const eventMetrics = {
  produced: 0,
  delivered: 0,
  /** Attempts that did not succeed (each retry counts). */
  attemptsFailed: 0,
  /** Deliveries given up after the retry window. */
  failed: 0,
  /** Delivery latency (request sent to answer read), milliseconds: count, sum and bucket counts. */
  latency: { count: 0, sumMs: 0, buckets: new Map<number, number>() },
};

export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

/** Delivery latency for `/metrics` (each server's registry registers this one histogram). */
export const deliveryLatency = new Histogram({
  name: 'gatehouse_webhook_delivery_latency_seconds',
  help: 'Time from sending a webhook delivery to its answer (or failure), in seconds.',
  buckets: LATENCY_BUCKETS_MS.map((ms) => ms / 1000),
  registers: [],
});

export function observeLatency(ms: number): void {
  deliveryLatency.observe(ms / 1000);
  eventMetrics.latency.count++;
  eventMetrics.latency.sumMs += ms;
  for (const bound of LATENCY_BUCKETS_MS) {
    if (ms <= bound) eventMetrics.latency.buckets.set(bound, (eventMetrics.latency.buckets.get(bound) ?? 0) + 1);
  }
}

/** Emits `written` (connection id) after a write stored events (possibly before its commit: readers re-poll). */
export const eventSignals = new EventEmitter();
eventSignals.setMaxListeners(0);
