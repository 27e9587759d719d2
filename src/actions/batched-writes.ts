import type { AppError } from '../core/errors.js';
import type { GraphApi, GraphBatchRequest, GraphBatchResponse } from '../entra/graph-api.js';
import { mapGraphError } from '../entra/graph-error-map.js';

/** Graph's JSON batching limit (https://learn.microsoft.com/graph/json-batching). */
export const BATCH_SIZE = 20;

export interface BatchItemResult<K> {
  readonly key: K;
  readonly response: GraphBatchResponse;
}

/**
 * Sends one request per key through `$batch`, 20 at a time (GraphApi.batch retries inner 429s), and returns each
 * key's response in input order.
 */
export async function sendBatched<K>(
  graph: GraphApi,
  keys: readonly K[],
  toRequest: (key: K) => Omit<GraphBatchRequest, 'id'>,
): Promise<BatchItemResult<K>[]> {
  const results: BatchItemResult<K>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_SIZE) {
    const chunk = keys.slice(start, start + BATCH_SIZE);
    const requests = chunk.map((key, index) => ({ ...toRequest(key), id: String(index + 1) }));
    const responses = await graph.batch(requests);
    responses.forEach((response, index) => {
      results.push({ key: chunk[index] as K, response });
    });
  }
  return results;
}

/** The AppError for one failed batch item, mapped by its status and Graph error code like any other response. */
export function itemError(response: GraphBatchResponse): AppError {
  const headers = response.headers ?? {};
  const requestIdKey = Object.keys(headers).find((k) => k.toLowerCase() === 'request-id');
  const requestId = requestIdKey === undefined ? undefined : headers[requestIdKey];
  return mapGraphError({ status: response.status, body: response.body, ...(requestId ? { requestId } : {}) });
}

export function graphCodeOf(response: GraphBatchResponse): string | undefined {
  const body = response.body;
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
