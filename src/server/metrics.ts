import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import type { GraphStats } from '../entra/graph-stats.js';
import { deliveryLatency, eventMetrics } from '../events/event-metrics.js';

/**
 * Counters the services already keep (they count; the server only exposes them, so nothing is counted twice).
 * Each returns a running total since the process started.
 */
export interface MetricSources {
  /** Graph calls made by sync runs (summed from their reports). */
  graph?: () => GraphStats;
  tokenRequests?: () => { requests: number; failures: number };
  syncRuns?: () => Record<string, number>;
  /** Stops collecting (the app closes). */
  stop?: () => void;
}

function totalCounter(registry: Registry, name: string, help: string, read: () => number | undefined) {
  // A Counter whose value is read from a service total at scrape time (prom-client's collect callback).
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      this.reset();
      if (value !== undefined) this.inc(value);
    },
  });
}

/** Prometheus metrics of one server: its HTTP requests plus the services' Graph, token and sync totals. */
export function registerMetrics(app: FastifyInstance, sources: MetricSources): Registry {
  const registry = new Registry();
  const requests = new Counter({
    name: 'gatehouse_http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'HTTP request duration, by method and route.',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids and search text stay out of label values.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  totalCounter(
    registry,
    'gatehouse_graph_requests_total',
    'Microsoft Graph HTTP requests sent by sync runs.',
    () => sources.graph?.().requests,
  );
  totalCounter(
    registry,
    'gatehouse_graph_throttled_total',
    'Graph responses answered 429.',
    () => sources.graph?.().throttled,
  );
  totalCounter(registry, 'gatehouse_graph_retries_total', 'Graph requests retried.', () => sources.graph?.().retries);
  totalCounter(
    registry,
    'gatehouse_graph_failures_total',
    'Graph requests that failed.',
    () => sources.graph?.().failures,
  );
  totalCounter(
    registry,
    'gatehouse_token_requests_total',
    'Token requests sent to Entra ID.',
    () => sources.tokenRequests?.().requests,
  );
  totalCounter(
    registry,
    'gatehouse_token_failures_total',
    'Token requests Entra ID refused.',
    () => sources.tokenRequests?.().failures,
  );
  new Counter({
    name: 'gatehouse_sync_runs_total',
    help: 'Directory sync runs finished, by status.',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [status, count] of Object.entries(sources.syncRuns?.() ?? {})) this.inc({ status }, count);
    },
  });
  // Directory events and webhooks (src/events): process-wide totals of this instance.
  totalCounter(registry, 'gatehouse_events_produced_total', 'Directory events stored.', () => eventMetrics.produced);
  totalCounter(
    registry,
    'gatehouse_webhook_deliveries_total',
    'Webhook deliveries answered 2xx.',
    () => eventMetrics.delivered,
  );
  totalCounter(
    registry,
    'gatehouse_webhook_deliveries_failed_total',
    'Webhook deliveries given up after the retry window.',
    () => eventMetrics.failed,
  );
  totalCounter(
    registry,
    'gatehouse_webhook_attempts_failed_total',
    'Webhook delivery attempts that failed (each retry counts).',
    () => eventMetrics.attemptsFailed,
  );
  registry.registerMetric(deliveryLatency);
  app.addHook('onClose', async () => sources.stop?.());
  return registry;
}
