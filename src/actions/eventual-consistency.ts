import type { GraphBatchResponse } from '../entra/graph-api.js';
import { graphCodeOf } from './batched-writes.js';

/**
 * Entra ID is eventually consistent (https://devblogs.microsoft.com/identity/eventual-consistency/, and
 * https://learn.microsoft.com/graph/api/resources/users "created … may take a few seconds"): a write that
 * references an object created a moment ago can answer 404 `Request_ResourceNotFound`, or a 400 that says the
 * reference does not exist, until the object has replicated. Such answers are retried with bounded exponential
 * back-off on the injected clock, about 30 s in all.
 */
export const REPLICATION_BUDGET_MS = 30_000;

/** Graph codes meaning "the referenced object is not (yet) there": matched by code, never by message text. */
const NOT_FOUND_CODES = new Set(['Request_ResourceNotFound', 'ResourceNotFound', 'ErrorItemNotFound']);

export function isNotYetVisible(response: GraphBatchResponse): boolean {
  if (response.status === 404) return true;
  const code = graphCodeOf(response);
  return response.status === 400 && code !== undefined && NOT_FOUND_CODES.has(code);
}

/** The waits between attempts: 0.5 s doubling to 8 s, at most REPLICATION_BUDGET_MS together. */
export function replicationDelays(budgetMs = REPLICATION_BUDGET_MS): number[] {
  const delays: number[] = [];
  let total = 0;
  for (let next = 500; total + next <= budgetMs; next = Math.min(next * 2, 8_000)) {
    delays.push(next);
    total += next;
  }
  if (total < budgetMs) delays.push(budgetMs - total);
  return delays;
}
