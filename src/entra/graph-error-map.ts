import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError, type ErrorCode } from '../core/errors.js';

/** Graph's error body (https://learn.microsoft.com/graph/errors); `details` appears only on some errors. */
const GraphErrorBody = Compile(
  Type.Object({
    error: Type.Object({
      code: Type.String(),
      message: Type.Optional(Type.String()),
      details: Type.Optional(
        Type.Array(Type.Object({ code: Type.Optional(Type.String()), target: Type.Optional(Type.String()) })),
      ),
      innerError: Type.Optional(Type.Object({ 'request-id': Type.Optional(Type.String()) })),
    }),
  }),
);

export interface GraphFailure {
  status: number;
  /** Parsed JSON body of the failed response (or of one `$batch` item), if any. */
  body: unknown;
  requestId?: string;
  clientRequestId?: string;
  /** For 429/503: how long Graph asked us to wait, after the retries ran out. */
  retryAfterMs?: number;
}

/** Graph codes that mean "this delta token is no longer usable: start a full round" (facts C.3). */
const DELTA_RESET_CODES = new Set(['syncStateNotFound', 'syncStateInvalid', 'resyncRequired']);

function codeFor(status: number, graphCode: string | undefined, hasConflict: boolean): ErrorCode {
  if (status === 410 || (graphCode && DELTA_RESET_CODES.has(graphCode))) return 'GRAPH_DELTA_RESYNC_REQUIRED';
  if (hasConflict || status === 409) return 'GRAPH_CONFLICT';
  if (status === 401 || graphCode === 'InvalidAuthenticationToken') return 'GRAPH_UNAUTHORIZED';
  if (status === 403 || graphCode === 'Authorization_RequestDenied') return 'GRAPH_INSUFFICIENT_PRIVILEGES';
  if (status === 404 || graphCode === 'Request_ResourceNotFound') return 'GRAPH_NOT_FOUND';
  if (status === 429) return 'GRAPH_THROTTLED';
  if (status >= 500) return 'GRAPH_UNAVAILABLE';
  if (status >= 400) return 'GRAPH_BAD_REQUEST';
  return 'GRAPH_INVALID_RESPONSE';
}

/**
 * Turns a failed Graph response into an AppError, by Graph's `error.code`, its `details[].code` and the HTTP status
 * — never by message text. Details carry `{ status, graphCode, requestId, clientRequestId }` (+ `property` for
 * conflicts, `retryAfterMs` for throttling) and Graph's own message as `graphMessage` (it names the object).
 */
export function mapGraphError(failure: GraphFailure): AppError {
  const parsed = GraphErrorBody.Check(failure.body) ? failure.body.error : undefined;
  const conflict = parsed?.details?.find((d) => d.code === 'ObjectConflict');
  const code = codeFor(failure.status, parsed?.code, conflict !== undefined);
  const details: Record<string, unknown> = {
    status: failure.status,
    graphCode: parsed?.code,
    requestId: failure.requestId ?? parsed?.innerError?.['request-id'],
    clientRequestId: failure.clientRequestId,
  };
  if (parsed?.message) details.graphMessage = parsed.message;
  if (conflict?.target) details.property = conflict.target;
  if (failure.retryAfterMs !== undefined) details.retryAfterMs = failure.retryAfterMs;
  const message = conflict?.target
    ? `Another object already has this value for '${conflict.target}'.`
    : parsed?.message
      ? `Microsoft Graph answered ${failure.status} ${parsed.code}: ${parsed.message}`
      : undefined;
  return new AppError(code, { details, ...(message ? { message } : {}) });
}
