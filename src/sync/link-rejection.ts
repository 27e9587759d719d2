import { AppError } from '../core/errors.js';
import type { SyncStream } from './ports.js';

/* When a saved Graph link (delta link or skip-token checkpoint) is refused, and why a stream starts a full round. */

/** Graph said the delta round must start over (`syncStateNotFound`, 410 Gone). */
export function isResyncRequired(error: unknown): boolean {
  return error instanceof AppError && error.code === 'GRAPH_DELTA_RESYNC_REQUIRED';
}

/** 4xx answers that are about the request's identity or rate, not about the link: a full round would not help. */
const NOT_A_LINK_PROBLEM = new Set([401, 403, 407, 408, 429]);

/**
 * Graph refused a link we had saved (a delta link or a skip-token checkpoint): 410 Gone, `syncStateNotFound`, or any
 * other 4xx answer (an unknown, expired or damaged token is a 400 `Request_BadRequest`, or a 404). Decided by the
 * Graph error code and HTTP status in the error's details, never by Graph's text.
 */
export function isLinkRejected(error: unknown): boolean {
  if (isResyncRequired(error)) return true;
  if (!(error instanceof AppError) || !error.code.startsWith('GRAPH_')) return false;
  const status = error.details.status;
  return typeof status === 'number' && status >= 400 && status < 500 && !NOT_A_LINK_PROBLEM.has(status);
}

/** Why a stream dropped its saved link and started a full round (shown in the run report). */
export interface ResyncReason {
  stream: SyncStream;
  code: string;
  status?: number;
  graphCode?: string;
}
