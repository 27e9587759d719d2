import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import { type Clock, systemClock } from '../core/clock.js';
import { isRetryable } from '../core/error-classification.js';
import { AppError } from '../core/errors.js';
import { type Logger, silentLogger } from '../core/logger.js';
import type {
  GraphApi,
  GraphBatchRequest,
  GraphBatchResponse,
  GraphMethod,
  GraphPage,
  GraphRequestOptions,
  GraphResponse,
} from './graph-api.js';
import { runBatch } from './graph-batch.js';
import { mapGraphError } from './graph-error-map.js';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfterMs,
  type RetryPolicy,
  retryDelayMs,
} from './graph-retry.js';
import { emptyGraphStats, type GraphRequestEvent, type GraphStats } from './graph-stats.js';
import type { TokenSource } from './token-source.js';

export interface GraphClientOptions {
  /** Only `graphEndpoint` (the Graph origin) is used; the version root `/v1.0` is appended. */
  settings: Pick<EntraSettings, 'graphEndpoint'>;
  tokenSource: TokenSource;
  /** Drives retry waits, so tests can use a manual clock (default: the system clock). */
  clock?: Clock;
  logger?: Logger;
  /** The transport (default: global `fetch`). */
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Per attempt, headers and body included (default 60 s). */
  timeoutMs?: number;
  /** Source of jitter (default Math.random). */
  random?: () => number;
  /** Called after every HTTP attempt (metrics). */
  onRequest?: (event: GraphRequestEvent) => void;
}

/** GraphApi plus the counters a run report or the metrics endpoint reads. */
export interface GraphClient extends GraphApi {
  /** A snapshot of the counters since the client was created. */
  stats(): GraphStats;
  /** `{graphEndpoint}/v1.0`. */
  readonly baseUrl: string;
}

const PageBody = Compile(
  Type.Object({
    value: Type.Array(Type.Unknown()),
    '@odata.nextLink': Type.Optional(Type.String()),
    '@odata.deltaLink': Type.Optional(Type.String()),
  }),
);

const ErrorCode = Compile(Type.Object({ error: Type.Object({ code: Type.String() }) }));

interface Attempt {
  response: Response;
  body: unknown;
}

/**
 * A thin Microsoft Graph client on `fetch`: bearer from the TokenSource (one refresh + retry after a 401
 * InvalidAuthenticationToken), retries of 429/503/504 honouring Retry-After (capped, jittered, bounded), absolute
 * next/delta links followed verbatim (only on the Graph origin, so the token never goes elsewhere), failures mapped
 * to GRAPH_* codes, pages streamed one at a time.
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const send = options.fetch ?? fetch;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 60_000;
  const random = options.random ?? Math.random;
  const origin = options.settings.graphEndpoint.replace(/\/+$/, '');
  const baseUrl = `${origin}/v1.0`;
  const stats = emptyGraphStats();

  function resolveUrl(pathOrUrl: string): URL {
    if (/^https?:\/\//i.test(pathOrUrl)) {
      const url = new URL(pathOrUrl);
      // Links come from Graph's answers; the bearer token must only ever go to the Graph origin we were given.
      if (url.origin !== new URL(origin).origin) {
        throw new AppError('GRAPH_INVALID_RESPONSE', {
          message: `Refusing to send the Graph token to ${url.origin} (GraphEndpoint is ${origin}).`,
          details: { origin: url.origin },
        });
      }
      return url;
    }
    const url = new URL(`${baseUrl}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`);
    // The URL parser resolves `..` and `%2e%2e`: a relative path must still be under the version root afterwards.
    if (url.origin !== new URL(origin).origin || !url.pathname.startsWith(`${new URL(baseUrl).pathname}/`)) {
      throw new AppError('ACTION_GRAPH_PATH_INVALID', {
        message: `Refusing to send a Graph request outside ${baseUrl} (path ${pathOrUrl.slice(0, 200)}).`,
        details: { path: pathOrUrl.slice(0, 200) },
      });
    }
    return url;
  }

  async function readBody(response: Response, clientRequestId: string): Promise<unknown> {
    const text = await response.text();
    if (response.status === 204 || text === '') return undefined;
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) return text;
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new AppError('GRAPH_INVALID_RESPONSE', {
        message: `Microsoft Graph answered ${response.status} with a body that is not valid JSON.`,
        cause,
        details: { status: response.status, requestId: response.headers.get('request-id'), clientRequestId },
      });
    }
  }

  async function attemptOnce(
    method: GraphMethod,
    url: URL,
    request: GraphRequestOptions,
    clientRequestId: string,
  ): Promise<Attempt> {
    const token = await options.tokenSource.getAccessToken(request.signal ? { signal: request.signal } : {});
    // Our own timer (not AbortSignal.timeout) so it is cleared as soon as the body is read.
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    );
    const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
    try {
      return await sendAndRead(method, url, request, clientRequestId, token, signal);
    } finally {
      clearTimeout(timer);
    }
  }

  async function sendAndRead(
    method: GraphMethod,
    url: URL,
    request: GraphRequestOptions,
    clientRequestId: string,
    token: string,
    signal: AbortSignal,
  ): Promise<Attempt> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...request.headers,
      Authorization: `Bearer ${token}`,
      'client-request-id': clientRequestId,
    };
    if (request.body !== undefined) headers['Content-Type'] ??= 'application/json';
    const started = performance.now();
    const response = await send(url, {
      method,
      headers,
      signal,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });
    const body = await readBody(response, clientRequestId);
    const units = Number(response.headers.get('x-ms-resource-unit'));
    stats.requests++;
    if (Number.isFinite(units) && units > 0) stats.resourceUnits += units;
    const event: GraphRequestEvent = {
      method,
      path: url.pathname,
      status: response.status,
      durationMs: performance.now() - started,
      ...(units > 0 ? { resourceUnits: units } : {}),
      ...(response.headers.get('request-id') ? { requestId: response.headers.get('request-id') as string } : {}),
    };
    logger.debug({ ...event, clientRequestId }, 'graph request');
    options.onRequest?.(event);
    return { response, body };
  }

  function transportError(error: unknown, url: URL, clientRequestId: string): AppError {
    if (error instanceof AppError) return error;
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return new AppError(timedOut ? 'GRAPH_TIMEOUT' : 'GRAPH_UNAVAILABLE', {
      message: timedOut
        ? `Microsoft Graph (${url.origin}) did not answer within ${timeoutMs} ms.`
        : `Microsoft Graph (${url.origin}) could not be reached.`,
      cause: error,
      details: { origin: url.origin, clientRequestId },
    });
  }

  async function execute(method: GraphMethod, pathOrUrl: string, request: GraphRequestOptions): Promise<Attempt> {
    const url = resolveUrl(pathOrUrl);
    const clientRequestId = randomUUID();
    let tokenRefreshed = false;
    for (let attempt = 1; ; attempt++) {
      let result: Attempt;
      try {
        result = await attemptOnce(method, url, request, clientRequestId);
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        const failure = transportError(error, url, clientRequestId);
        // Only reads are repeated after a lost connection (a write may have been applied), and only when waiting can
        // help: a token refused for a wrong secret or a missing app is refused again (src/core/error-classification.ts).
        if (method !== 'GET' || attempt >= policy.maxAttempts || !isRetryable(failure)) {
          stats.failures++;
          throw failure;
        }
        await waitBeforeRetry(attempt, undefined, { path: url.pathname, code: failure.code }, request.signal);
        continue;
      }
      const { response, body } = result;
      if (response.ok) return result;
      const requestId = response.headers.get('request-id') ?? undefined;
      if (response.status === 401 && !tokenRefreshed && isInvalidToken(body)) {
        // The cached token may have been revoked or minted with stale roles: fetch a new one, once.
        tokenRefreshed = true;
        options.tokenSource.invalidate();
        stats.retries++;
        attempt--;
        continue;
      }
      if (response.status === 429) stats.throttled++;
      const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), clock.nowMs());
      if (isRetryableStatus(response.status) && attempt < policy.maxAttempts) {
        await waitBeforeRetry(
          attempt,
          retryAfterMs,
          { path: url.pathname, status: response.status, requestId },
          request.signal,
        );
        continue;
      }
      stats.failures++;
      throw mapGraphError({
        status: response.status,
        body,
        clientRequestId,
        ...(requestId ? { requestId } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
  }

  async function waitBeforeRetry(
    attempt: number,
    retryAfterMs: number | undefined,
    context: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const delayMs = retryDelayMs(policy, attempt, retryAfterMs, random);
    stats.retries++;
    logger.warn({ ...context, attempt, retryAfterMs, delayMs }, 'graph request will be retried');
    await clock.sleep(delayMs, signal);
  }

  async function request<T>(method: GraphMethod, pathOrUrl: string, opts: GraphRequestOptions = {}) {
    const { response, body } = await execute(method, pathOrUrl, opts);
    const requestId = response.headers.get('request-id') ?? undefined;
    const result: GraphResponse<T> = { status: response.status, body: body as T, headers: response.headers };
    if (requestId) result.requestId = requestId;
    return result;
  }

  async function* pages<T>(pathOrUrl: string, opts: GraphRequestOptions = {}): AsyncGenerator<GraphPage<T>> {
    let next: string | undefined = pathOrUrl;
    while (next !== undefined) {
      const { response, body } = await execute('GET', next, opts);
      if (!PageBody.Check(body)) {
        throw new AppError('GRAPH_INVALID_RESPONSE', {
          message: 'A Graph collection page has no `value` array.',
          details: { status: response.status, path: resolveUrl(next).pathname },
        });
      }
      const page: GraphPage<T> = { value: body.value as T[] };
      if (body['@odata.nextLink']) page.nextLink = body['@odata.nextLink'];
      if (body['@odata.deltaLink']) page.deltaLink = body['@odata.deltaLink'];
      const units = Number(response.headers.get('x-ms-resource-unit'));
      if (Number.isFinite(units) && units > 0) page.resourceUnits = units;
      yield page;
      next = page.nextLink;
    }
  }

  async function batch(requests: GraphBatchRequest[], opts: { signal?: AbortSignal } = {}) {
    return runBatch(
      requests,
      {
        post: async (envelope, signal) =>
          (await execute('POST', '/$batch', { body: envelope, ...(signal ? { signal } : {}) })).body,
        sleep: (ms, signal) => clock.sleep(ms, signal),
        nowMs: () => clock.nowMs(),
        policy,
        random,
        onInnerRetry: (retried, throttled) => {
          stats.retries += retried;
          stats.throttled += throttled;
        },
      },
      opts.signal,
    ) as Promise<GraphBatchResponse[]>;
  }

  return { request, pages, batch, baseUrl, stats: () => ({ ...stats }) };
}

function isInvalidToken(body: unknown): boolean {
  // Graph answers 401 with InvalidAuthenticationToken for empty, expired or wrongly-addressed tokens; an emulator or
  // proxy may omit the body, which we treat the same way.
  return !ErrorCode.Check(body) || body.error.code === 'InvalidAuthenticationToken';
}
