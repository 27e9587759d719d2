import type { EventEmitter } from 'node:events';
import type { GraphStats } from '../entra/graph-stats.js';
import type { SyncReport } from '../sync/ports.js';

/**
 * Running totals of the sync runs this process finished, summed from the reports the sync service emits (its own
 * counts of runs, Graph requests, retries and throttles), for /metrics.
 */
export function trackSyncTotals(events: EventEmitter) {
  const runs: Record<string, number> = {};
  const graph: GraphStats = { requests: 0, retries: 0, throttled: 0, resourceUnits: 0, failures: 0 };
  const onFinished = (report: SyncReport) => {
    runs[report.status] = (runs[report.status] ?? 0) + 1;
    graph.requests += report.requests;
    graph.retries += report.retries;
    graph.throttled += report.throttled;
    graph.resourceUnits += report.resourceUnits;
    graph.failures += report.errors.length;
  };
  events.on('finished', onFinished);
  return {
    runs: () => ({ ...runs }),
    graph: () => ({ ...graph }),
    stop: () => events.off('finished', onFinished),
  };
}
