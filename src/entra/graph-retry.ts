/**
 * When and how long the Graph client waits before repeating a request. Graph asks for a wait with `Retry-After`
 * (seconds, or an HTTP date) on 429 and sometimes on 503; without it we back off exponentially
 * (https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling).
 */
export interface RetryPolicy {
  /** Attempts per request, the first included (default 6). */
  maxAttempts: number;
  /** Longest single wait, whatever Retry-After says (default 120 s: Graph's write window is 150 s). */
  maxDelayMs: number;
  /** First back-off when Graph gives no Retry-After (default 1 s, doubled per attempt). */
  baseDelayMs: number;
  /** Extra random wait, as a fraction of the wait (default 0.1), so many clients don't return in lockstep. */
  jitterRatio: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxDelayMs: 120_000,
  baseDelayMs: 1_000,
  jitterRatio: 0.1,
};

/** Statuses that mean "not processed, try again": throttled, service unavailable, gateway timeout. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

/** Parses `Retry-After`: delay-seconds or an HTTP date (RFC 9110 10.2.3). Undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The wait before attempt `attempt + 1` (`attempt` counts from 1): Graph's Retry-After when given, else exponential
 * back-off; capped at `maxDelayMs`, plus jitter (never less than what Graph asked for).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const base = retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1);
  const capped = Math.min(base, policy.maxDelayMs);
  return Math.round(capped + capped * policy.jitterRatio * random());
}
