import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError } from '../core/errors.js';
import type { GraphBatchRequest, GraphBatchResponse } from './graph-api.js';
import { isRetryableStatus, parseRetryAfterMs, type RetryPolicy, retryDelayMs } from './graph-retry.js';

/** Graph's JSON batching limit (https://learn.microsoft.com/graph/json-batching). */
export const MAX_BATCH_REQUESTS = 20;

const BatchBody = Compile(
  Type.Object({
    responses: Type.Array(
      Type.Object({
        id: Type.String(),
        status: Type.Number(),
        headers: Type.Optional(Type.Record(Type.String(), Type.String())),
        body: Type.Optional(Type.Unknown()),
      }),
    ),
  }),
);

export interface BatchDeps {
  /** POSTs one `$batch` envelope (with the client's own outer retries) and returns its parsed body. */
  post(envelope: unknown, signal?: AbortSignal): Promise<unknown>;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  nowMs(): number;
  policy: RetryPolicy;
  random: () => number;
  /** Called with the number of inner items repeated, and how many of them were 429s. */
  onInnerRetry(retried: number, throttled: number): void;
}

function assertValid(requests: GraphBatchRequest[]): void {
  const ids = new Set(requests.map((r) => r.id));
  if (requests.length === 0 || requests.length > MAX_BATCH_REQUESTS || ids.size !== requests.length) {
    throw new AppError('GRAPH_BAD_REQUEST', {
      message: `A $batch holds 1 to ${MAX_BATCH_REQUESTS} requests with unique ids (got ${requests.length}).`,
      hint: 'Split the requests into chunks of at most 20 with unique ids.',
    });
  }
}

function toWire(request: GraphBatchRequest, resent: Set<string>): Record<string, unknown> {
  const headers = { ...request.headers };
  const hasContentType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (request.body !== undefined && !hasContentType) headers['Content-Type'] = 'application/json';
  const dependsOn = request.dependsOn?.filter((id) => resent.has(id));
  return {
    id: request.id,
    method: request.method,
    url: request.url,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
    ...(dependsOn && dependsOn.length > 0 ? { dependsOn } : {}),
  };
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers?.[key];
}

/** Items that failed only because a dependency is being retried (424 Failed Dependency) go again with it. */
function withDependents(requests: GraphBatchRequest[], retry: Set<string>, failedDependency: Set<string>): void {
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of requests) {
      if (!retry.has(r.id) && failedDependency.has(r.id) && r.dependsOn?.some((d) => retry.has(d))) {
        retry.add(r.id);
        grew = true;
      }
    }
  }
}

/**
 * Sends up to 20 requests as one `$batch` and repeats the items Graph throttled (inner 429/503/504, each with its own
 * Retry-After) until they succeed or the attempts run out. Results come back in request order, whatever order Graph
 * answered in.
 */
export async function runBatch(
  requests: GraphBatchRequest[],
  deps: BatchDeps,
  signal?: AbortSignal,
): Promise<GraphBatchResponse[]> {
  assertValid(requests);
  const results = new Map<string, GraphBatchResponse>();
  let pending = requests;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const resent = new Set(pending.map((r) => r.id));
    const body = await deps.post({ requests: pending.map((r) => toWire(r, resent)) }, signal);
    if (!BatchBody.Check(body)) {
      throw new AppError('GRAPH_INVALID_RESPONSE', { message: 'The $batch response has no readable `responses`.' });
    }
    const retry = new Set<string>();
    const failedDependency = new Set<string>();
    let waitMs: number | undefined;
    let throttled = 0;
    for (const item of body.responses) {
      if (!resent.has(item.id)) continue;
      const result: GraphBatchResponse = { id: item.id, status: item.status };
      if (item.headers) result.headers = item.headers;
      if (item.body !== undefined) result.body = item.body;
      results.set(item.id, result);
      if (item.status === 424) failedDependency.add(item.id);
      if (!isRetryableStatus(item.status) || attempt >= deps.policy.maxAttempts) continue;
      retry.add(item.id);
      if (item.status === 429) throttled++;
      const asked = parseRetryAfterMs(headerValue(item.headers, 'retry-after'), deps.nowMs());
      if (asked !== undefined) waitMs = Math.max(waitMs ?? 0, asked);
    }
    if (retry.size === 0) break;
    withDependents(pending, retry, failedDependency);
    deps.onInnerRetry(retry.size, throttled);
    await deps.sleep(retryDelayMs(deps.policy, attempt, waitMs, deps.random), signal);
    pending = pending.filter((r) => retry.has(r.id));
  }
  return requests.map((r) => {
    const result = results.get(r.id);
    if (!result) {
      throw new AppError('GRAPH_INVALID_RESPONSE', {
        message: `The $batch response has no answer for request '${r.id}'.`,
      });
    }
    return result;
  });
}
