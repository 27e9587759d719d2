/** What one Graph client has done so far: for run reports (take a snapshot before and after) and metrics. */
export interface GraphStats {
  /** HTTP requests sent (every attempt, `$batch` counted once). */
  requests: number;
  /** Attempts repeated after a 429/503/504, a timeout or a refreshed token (also inner `$batch` items). */
  retries: number;
  /** Responses (or `$batch` items) answered 429. */
  throttled: number;
  /** Sum of `x-ms-resource-unit` over all responses that reported it. */
  resourceUnits: number;
  /** Requests that ended in an error thrown to the caller. */
  failures: number;
}

export function emptyGraphStats(): GraphStats {
  return { requests: 0, retries: 0, throttled: 0, resourceUnits: 0, failures: 0 };
}

/** `after - before`, field by field: what happened between two snapshots. */
export function diffGraphStats(after: GraphStats, before: GraphStats): GraphStats {
  return {
    requests: after.requests - before.requests,
    retries: after.retries - before.retries,
    throttled: after.throttled - before.throttled,
    resourceUnits: after.resourceUnits - before.resourceUnits,
    failures: after.failures - before.failures,
  };
}

/** An event per HTTP attempt, for metrics (prom-client) and logs. */
export interface GraphRequestEvent {
  method: string;
  /** Path without the query string (never a token or skiptoken). */
  path: string;
  status: number;
  durationMs: number;
  resourceUnits?: number;
  requestId?: string;
}
